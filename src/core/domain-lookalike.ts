import { parse } from 'tldts';
import { domainToASCII, domainToUnicode } from 'node:url';
import { editDistance } from './edit-distance.js';
import { foldHomoglyphs, isMixedScript } from './homoglyph-fold.js';
import { isWithin, officialDomains, type Identity } from './monitor-identity.js';

/** How a foreign domain imitates the company's. */
export type LookalikeKind = 'homoglyph' | 'typo' | 'other_suffix' | 'brand_embedded';

export interface DomainLookalike {
  kind: LookalikeKind;
  /** The official domain or brand it imitates. */
  imitates: string;
  /** The domain is an internationalized (punycode) name. */
  idn: boolean;
  /** The registrable part sits under a free-hosting suffix (github.io, web.app…). */
  freeHosting: boolean;
}

/** The registrable part of a domain, with private (free-hosting) suffixes: `x.github.io`. */
export interface DomainParts {
  ascii: string;
  registrable: string;
  freeHosting: boolean;
  isIp: boolean;
  /** The suffix is on the public suffix list (so `file.pdf` is not taken for a domain). */
  knownSuffix: boolean;
}

/** What to compare a domain against, prepared once per identity. */
export interface LookalikeTargets {
  own: string[];
  /** Labels to imitate: the official domains' registrable labels and the brands, compacted. */
  labels: { label: string; folded: string; imitates: string }[];
}

// Shorter brands only count as a whole label, or `acme` would match `pacmeals`.
const MIN_EMBEDDED_LENGTH = 5;

export function lookalikeTargets(identity: Identity): LookalikeTargets {
  const own = [...officialDomains(identity), ...identity.sendingServices];
  const labels = new Map<string, string>();
  for (const domain of officialDomains(identity)) {
    const label = parse(domain).domainWithoutSuffix;
    if (label) labels.set(label, domain);
  }
  for (const brand of identity.brands) {
    const compact = domainToASCII(brand.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ''));
    if (compact.length >= 3 && !labels.has(compact)) labels.set(compact, brand);
  }
  return {
    own,
    labels: [...labels].map(([label, imitates]) => ({ label, folded: foldHomoglyphs(label), imitates })),
  };
}

export function domainParts(domain: string): DomainParts {
  const ascii = toAscii(domain);
  const parsed = parse(ascii, { allowPrivateDomains: true });
  return {
    ascii,
    registrable: parsed.domain ?? ascii,
    freeHosting: parsed.isPrivate === true,
    isIp: parsed.isIp === true,
    knownSuffix: parsed.isIcann === true || parsed.isPrivate === true,
  };
}

/** Lowercase ASCII form of a domain (punycode for IDNs), or the input lowercased when invalid. */
export function toAscii(domain: string): string {
  const lower = domain.trim().replace(/\.$/, '').toLowerCase();
  return domainToASCII(lower) || lower;
}

export function isOwnDomain(domain: string, targets: LookalikeTargets): boolean {
  return isWithin(toAscii(domain), targets.own);
}

/** Edits allowed for a label of this length: none under 5 characters, then one per 5. */
export function allowedEdits(length: number): number {
  return Math.min(3, Math.floor(length / 5));
}

/** How `domain` imitates the company, or null when it does not (or is the company's own). */
export function judgeDomain(domain: string, targets: LookalikeTargets): DomainLookalike | null {
  if (targets.labels.length === 0) return null;
  const parts = domainParts(domain);
  if (parts.isIp || isWithin(parts.ascii, targets.own)) return null;
  const icann = parse(parts.ascii);
  const label = icann.domainWithoutSuffix;
  if (!label) return null;
  const idn = parts.ascii.split('.').some((part) => part.startsWith('xn--'));
  const unicodeLabel = domainToUnicode(label) || label;
  const foldedLabel = foldHomoglyphs(unicodeLabel);
  const base = { idn, freeHosting: parts.freeHosting };
  for (const target of targets.labels) {
    if (label === target.label) return { kind: 'other_suffix', imitates: target.imitates, ...base };
    if (foldedLabel === target.folded) return { kind: 'homoglyph', imitates: target.imitates, ...base };
  }
  for (const target of targets.labels) {
    const allowed = allowedEdits(target.label.length);
    if (allowed > 0 && editDistance(foldedLabel, target.folded, allowed) <= allowed) {
      return {
        kind: idn && isMixedScript(unicodeLabel) ? 'homoglyph' : 'typo',
        imitates: target.imitates,
        ...base,
      };
    }
  }
  const embedded = embeddedBrand(parts.ascii, targets);
  return embedded ? { kind: 'brand_embedded', imitates: embedded, ...base } : null;
}

/** A brand or official label inside another registrable domain: `openai.com.secure-login.io`. */
function embeddedBrand(ascii: string, targets: LookalikeTargets): string | null {
  const tokens = ascii.split(/[.-]/).map((token) => foldHomoglyphs(domainToUnicode(token) || token));
  const compact = foldHomoglyphs(ascii.replace(/[.-]/g, ''));
  for (const target of targets.labels) {
    if (tokens.includes(target.folded)) return target.imitates;
    if (target.folded.length >= MIN_EMBEDDED_LENGTH && compact.includes(target.folded))
      return target.imitates;
  }
  return null;
}
