import { UserError } from './errors.js';

export const CATEGORIES = [
  'identifier',
  'name',
  'email',
  'phone',
  'location',
  'precise_location',
  'ip_address',
  'device',
  'referrer',
  'usage',
  'address',
  'birth_date',
  'credentials',
  'api_key',
  'payment',
  'government_id',
  'health',
  'content',
] as const;

export type Category = (typeof CATEGORIES)[number];

/** Plain words for notices and reports. */
export const CATEGORY_LABELS: Record<Category, string> = {
  identifier: 'your user and organization identifiers',
  name: 'your name',
  email: 'your email address',
  phone: 'your phone number',
  location: 'your approximate location (city, region, country, time zone)',
  precise_location: 'your precise location',
  ip_address: 'your IP address',
  device: 'your device, operating system and browser',
  referrer: 'the websites that referred you to us',
  usage: 'records of your activity in the product',
  address: 'your postal address',
  birth_date: 'your date of birth',
  credentials: 'your password or security answers',
  api_key: 'your API keys or access tokens',
  payment: 'your payment details',
  government_id: 'your government identification numbers',
  health: 'health information',
  content: 'content you created or shared',
};

export function isCategory(value: string): value is Category {
  return (CATEGORIES as readonly string[]).includes(value);
}

/** Bit of a category in an exposure mask; masks let the database union categories with MAX(). */
export function categoryBit(category: Category): number {
  return CATEGORY_BITS.get(category)!;
}

/** Looked up per record and category during an import: a map, not a search of the list. */
const CATEGORY_BITS: ReadonlyMap<Category, number> = new Map(
  CATEGORIES.map((category, i) => [category, 1 << i]),
);

export function maskOf(categories: Iterable<Category>): number {
  let mask = 0;
  for (const category of categories) mask |= categoryBit(category);
  return mask;
}

export function categoriesOf(mask: number): Category[] {
  return CATEGORIES.filter((category) => (mask & categoryBit(category)) !== 0);
}

/** Parses `c1,c2,…` from a flag; an unknown name is an error that lists the valid ones. */
export function parseCategoryList(text: string, flag: string): Category[] {
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  const unknown = names.filter((name) => !isCategory(name));
  if (unknown.length > 0) {
    throw new UserError(`${flag}: unknown categor${unknown.length > 1 ? 'ies' : 'y'} ${unknown.join(', ')}`, {
      valid: CATEGORIES.join(', '),
    });
  }
  return sortCategories(names as Category[]);
}

export function sortCategories(categories: Iterable<Category>): Category[] {
  return categoriesOf(maskOf(categories));
}
