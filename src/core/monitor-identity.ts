import { domainToASCII } from 'node:url';
import { UserError } from './errors.js';

/**
 * Who the company is, for the monitor: the names a phisher would claim and the domains that are
 * really the company's. Domains are lowercase ASCII (punycode for IDNs).
 */
export interface Identity {
  /** Brand names as people write them: `Acme`, `Acme API`. */
  brands: string[];
  /** Domains the company sends mail from (From, Return-Path, DKIM `d=`). */
  sendingDomains: string[];
  /** Domains the company's mail links to. */
  linkDomains: string[];
  /** Sending services that send for the company (Return-Path or DKIM `d=` of an ESP). */
  sendingServices: string[];
}

export type IdentityKind = 'brand' | 'sending_domain' | 'link_domain' | 'sending_service';

export const IDENTITY_KINDS: readonly IdentityKind[] = [
  'brand',
  'sending_domain',
  'link_domain',
  'sending_service',
];

export const EMPTY_IDENTITY: Identity = {
  brands: [],
  sendingDomains: [],
  linkDomains: [],
  sendingServices: [],
};

const MAX_ENTRIES = 200;

export function isEmptyIdentity(identity: Identity): boolean {
  return identity.brands.length === 0 && officialDomains(identity).length === 0;
}

/** Every domain that is the company's own: sending, link and sending-service domains. */
export function officialDomains(identity: Identity): string[] {
  return [...new Set([...identity.sendingDomains, ...identity.linkDomains])];
}

/** True when `domain` is one of `domains` or a subdomain of one. */
export function isWithin(domain: string, domains: readonly string[]): boolean {
  return domains.some((own) => domain === own || domain.endsWith(`.${own}`));
}

/** A comma-separated list of brand names, trimmed, duplicates dropped. */
export function parseBrandList(text: string, field: string): string[] {
  const brands = splitList(text).map((brand) => brand.normalize('NFC'));
  for (const brand of brands) {
    if (brand.length < 2 || brand.length > 64 || /[\p{Cc}\p{Cf}]/u.test(brand)) {
      throw new UserError(`brand "${brand.slice(0, 64)}" must be 2 to 64 printable characters`, { field });
    }
  }
  return capped([...new Set(brands)], field);
}

/** A comma-separated list of domains, each lowercased and converted to ASCII (punycode). */
export function parseDomainList(text: string, field: string): string[] {
  const domains = splitList(text).map((entry) => normalizeDomain(entry, field));
  return capped([...new Set(domains)], field);
}

export function normalizeDomain(entry: string, field: string): string {
  const trimmed = entry.trim().replace(/\.$/, '').toLowerCase();
  const ascii = domainToASCII(trimmed);
  if (ascii === '' || !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(ascii) || ascii.length > 253) {
    throw new UserError(`"${entry.slice(0, 80)}" is not a domain name`, { field });
  }
  return ascii;
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
}

function capped<T>(list: T[], field: string): T[] {
  if (list.length > MAX_ENTRIES) throw new UserError(`at most ${MAX_ENTRIES} entries`, { field });
  return list;
}
