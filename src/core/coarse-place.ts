import { countryCode } from './jurisdiction-of.js';

/**
 * Where a person is, as coarsely as breach law asks: a country and a region (a state or province).
 * These two stay in clear, unlike every other exposed value, because obligations are counted by
 * them; city, postcode and coordinates are never kept.
 */
export interface CoarsePlace {
  /** ISO 3166-1 alpha-2, upper case; null when unknown. */
  country: string | null;
  /** ISO 3166-2 subdivision code (without the country) where known, else the name in upper case. */
  region: string | null;
}

/** Longer values are not a region's name: they are dropped, not cut. */
const MAX_REGION_LENGTH = 64;
/** A region's name is letters, digits, spaces and a few joiners; anything else is not kept. */
const REGION_TEXT = /^[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N} .'’()-]*$/u;

const US_STATES: Readonly<Record<string, string>> = {
  ALABAMA: 'AL',
  ALASKA: 'AK',
  ARIZONA: 'AZ',
  ARKANSAS: 'AR',
  CALIFORNIA: 'CA',
  COLORADO: 'CO',
  CONNECTICUT: 'CT',
  DELAWARE: 'DE',
  'DISTRICT OF COLUMBIA': 'DC',
  'WASHINGTON DC': 'DC',
  'WASHINGTON D.C.': 'DC',
  FLORIDA: 'FL',
  GEORGIA: 'GA',
  HAWAII: 'HI',
  IDAHO: 'ID',
  ILLINOIS: 'IL',
  INDIANA: 'IN',
  IOWA: 'IA',
  KANSAS: 'KS',
  KENTUCKY: 'KY',
  LOUISIANA: 'LA',
  MAINE: 'ME',
  MARYLAND: 'MD',
  MASSACHUSETTS: 'MA',
  MICHIGAN: 'MI',
  MINNESOTA: 'MN',
  MISSISSIPPI: 'MS',
  MISSOURI: 'MO',
  MONTANA: 'MT',
  NEBRASKA: 'NE',
  NEVADA: 'NV',
  'NEW HAMPSHIRE': 'NH',
  'NEW JERSEY': 'NJ',
  'NEW MEXICO': 'NM',
  'NEW YORK': 'NY',
  'NORTH CAROLINA': 'NC',
  'NORTH DAKOTA': 'ND',
  OHIO: 'OH',
  OKLAHOMA: 'OK',
  OREGON: 'OR',
  PENNSYLVANIA: 'PA',
  'RHODE ISLAND': 'RI',
  'SOUTH CAROLINA': 'SC',
  'SOUTH DAKOTA': 'SD',
  TENNESSEE: 'TN',
  TEXAS: 'TX',
  UTAH: 'UT',
  VERMONT: 'VT',
  VIRGINIA: 'VA',
  WASHINGTON: 'WA',
  'WEST VIRGINIA': 'WV',
  WISCONSIN: 'WI',
  WYOMING: 'WY',
  'PUERTO RICO': 'PR',
  GUAM: 'GU',
  'AMERICAN SAMOA': 'AS',
  'NORTHERN MARIANA ISLANDS': 'MP',
  'U.S. VIRGIN ISLANDS': 'VI',
  'UNITED STATES VIRGIN ISLANDS': 'VI',
};

const CANADIAN_PROVINCES: Readonly<Record<string, string>> = {
  ALBERTA: 'AB',
  'BRITISH COLUMBIA': 'BC',
  MANITOBA: 'MB',
  'NEW BRUNSWICK': 'NB',
  'NEWFOUNDLAND AND LABRADOR': 'NL',
  'NOVA SCOTIA': 'NS',
  ONTARIO: 'ON',
  'PRINCE EDWARD ISLAND': 'PE',
  QUEBEC: 'QC',
  QUÉBEC: 'QC',
  SASKATCHEWAN: 'SK',
  'NORTHWEST TERRITORIES': 'NT',
  NUNAVUT: 'NU',
  YUKON: 'YT',
};

const SUBDIVISION_NAMES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  US: US_STATES,
  CA: CANADIAN_PROVINCES,
};

/** Country and region from the text of a record or a directory row; unusable text becomes null. */
export function coarsePlace(country: unknown, region: unknown): CoarsePlace {
  const code = typeof country === 'string' ? canonicalCountry(countryCode(country)) : null;
  return { country: code, region: regionCode(code, region) };
}

/** Directory columns that say where an account holder is, in order of preference. */
const COUNTRY_COLUMNS = ['country_code', 'country'];
const REGION_COLUMNS = ['region_code', 'state_code', 'region', 'state'];

/** The place of a directory account from the extra columns its import kept. */
export function placeOfAttributes(attributes: Readonly<Record<string, unknown>>): CoarsePlace {
  return coarsePlace(firstText(attributes, COUNTRY_COLUMNS), firstText(attributes, REGION_COLUMNS));
}

function firstText(attributes: Readonly<Record<string, unknown>>, columns: readonly string[]): unknown {
  for (const column of columns) {
    const value = attributes[column];
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  return undefined;
}

/** `UK` is what many exports write for the United Kingdom; ISO says `GB`. */
function canonicalCountry(code: string | null): string | null {
  return code === 'UK' ? 'GB' : code;
}

/** A region as a subdivision code where one is known (`California`, `US-CA` → `CA`), else its name. */
export function regionCode(country: string | null, value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = value.normalize('NFC').trim().replace(/\s+/g, ' ').toUpperCase();
  if (text.length === 0 || text.length > MAX_REGION_LENGTH || !REGION_TEXT.test(text)) return null;
  const iso = /^([A-Z]{2})-([A-Z0-9]{1,3})$/.exec(text);
  if (iso && (country === null || iso[1] === country)) return iso[2]!;
  return (country === null ? undefined : SUBDIVISION_NAMES[country]?.[text]) ?? text;
}
