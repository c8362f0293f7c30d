/**
 * Where a person lives, as the jurisdictions whose breach law the reference table covers.
 * Ids are stable: obligations rules, reports and the vendor blast radius all key on them.
 */
export type JurisdictionId = 'EU' | 'UK' | 'US-CA' | 'US-NY' | 'US-TX' | 'CA' | 'AU' | 'BR' | 'JP';

export const JURISDICTION_IDS: readonly JurisdictionId[] = [
  'EU',
  'UK',
  'US-CA',
  'US-NY',
  'US-TX',
  'CA',
  'AU',
  'BR',
  'JP',
];

/** GDPR applies across the EU and, through the EEA agreement, Iceland, Liechtenstein and Norway. */
const GDPR_COUNTRIES = new Set(
  'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO'.split(' '),
);

const COUNTRY_JURISDICTION: Readonly<Record<string, JurisdictionId>> = {
  GB: 'UK',
  UK: 'UK',
  CA: 'CA',
  AU: 'AU',
  BR: 'BR',
  JP: 'JP',
};

const US_STATES: Readonly<Record<string, JurisdictionId>> = {
  CA: 'US-CA',
  CALIFORNIA: 'US-CA',
  NY: 'US-NY',
  'NEW YORK': 'US-NY',
  TX: 'US-TX',
  TEXAS: 'US-TX',
};

/** Common spellings vendors export instead of ISO 3166-1 alpha-2 codes. */
const COUNTRY_NAMES: Readonly<Record<string, string>> = {
  'UNITED STATES': 'US',
  'UNITED STATES OF AMERICA': 'US',
  USA: 'US',
  'UNITED KINGDOM': 'GB',
  'GREAT BRITAIN': 'GB',
  ENGLAND: 'GB',
  GERMANY: 'DE',
  DEUTSCHLAND: 'DE',
  FRANCE: 'FR',
  SPAIN: 'ES',
  ITALY: 'IT',
  NETHERLANDS: 'NL',
  IRELAND: 'IE',
  POLAND: 'PL',
  SWEDEN: 'SE',
  CANADA: 'CA',
  AUSTRALIA: 'AU',
  BRAZIL: 'BR',
  BRASIL: 'BR',
  JAPAN: 'JP',
};

/** An ISO 3166-1 alpha-2 code (upper case) from a code or a common English name; null when unknown. */
export function countryCode(value: string | null | undefined): string | null {
  if (!value) return null;
  const upper = value.trim().toUpperCase();
  if (/^[A-Z]{2}$/.test(upper)) return upper;
  return COUNTRY_NAMES[upper] ?? null;
}

/** The jurisdiction a person in this country (and, in the US, region) falls under, or null. */
export function jurisdictionOf(
  country: string | null | undefined,
  region?: string | null,
): JurisdictionId | null {
  const code = countryCode(country);
  if (code === null) return null;
  if (GDPR_COUNTRIES.has(code)) return 'EU';
  if (code === 'US') return region ? (US_STATES[region.trim().toUpperCase()] ?? null) : null;
  return COUNTRY_JURISDICTION[code] ?? null;
}
