import type { Culture } from './demo-case-data.js';
import { GLOBAL_WEBMAIL } from './demo-case-data.js';
import { at } from './demo-case-rng.js';
import type { Rng } from './demo-case-rng.js';

export interface Person {
  given: string;
  name: string;
  slugs: readonly [string, string];
}

export function personOf(rng: Rng, home: Culture): Person {
  const first = rng.pick(home.first);
  const last = rng.pick(home.last);
  const latin = rng.chance(home.latinShare);
  const given = latin ? first.latin : first.native;
  const family = latin ? last.latin : last.native;
  const order = latin ? 'given-family' : home.order;
  const name =
    order === 'given-family'
      ? `${given} ${family}`
      : order === 'family-given'
        ? `${family} ${given}`
        : `${family}${given}`;
  return { given, name, slugs: [slug(first.latin), slug(last.latin)] };
}

const FOLDED: Readonly<Record<string, string>> = {
  ø: 'o',
  ß: 'ss',
  ł: 'l',
  đ: 'd',
  æ: 'ae',
  œ: 'oe',
  ı: 'i',
};

export function slug(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[øßłđæœı]/g, (letter) => FOLDED[letter] ?? '')
    .replace(/[^a-z0-9]/g, '');
}

export function localPart(rng: Rng, [first, last]: readonly [string, string], companyMail: boolean): string {
  const given = first || 'user';
  const roll = rng.next();
  if (roll < 0.4) return `${given}.${last}`;
  if (roll < 0.6) return `${given.slice(0, 1)}${last}`;
  if (roll < 0.7) return `${last}.${given}`;
  if (roll < 0.75) return `${given}_${last}`;
  if (roll < 0.85 && companyMail) return given;
  return `${given}${last}${rng.int(100)}`;
}

export function webmailDomain(rng: Rng, home: Culture): string {
  return home.webmail.length > 0 && rng.chance(0.3) ? rng.pick(home.webmail) : rng.pick(GLOBAL_WEBMAIL);
}

export function claimEmail(rng: Rng, taken: Set<string>, local: string, domain: string): string {
  let address = `${local}@${domain}`;
  for (let attempt = 0; taken.has(address.toLowerCase()); attempt++) {
    address = `${local}${rng.int(10 ** (2 + Math.floor(attempt / 10)))}@${domain}`;
  }
  taken.add(address.toLowerCase());
  return address;
}

export function titleCaseLocal(address: string): string {
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at).replace(/(^|[._-])([a-z])/g, (_, mark: string, letter: string) => {
    return `${mark}${letter.toUpperCase()}`;
  });
  return `${local}${address.slice(at)}`;
}

/** Spellings of one address that differ only in case: what the "ambiguous email" rule must catch. */
export function caseVariant(address: string, variant: number): string {
  const lower = address.toLowerCase();
  const variants = [lower, titleCaseLocal(lower), lower.toUpperCase()];
  return at(variants, variant % variants.length);
}
