import { domainToASCII, domainToUnicode } from 'node:url';
import { parse } from 'tldts';
import { UserError } from './errors.js';
import { HOMOGLYPHS, LATIN_TO_CYRILLIC } from './homoglyphs.js';
import { KEYBOARD_NEIGHBOURS } from './keyboard-neighbours.js';
import { punycodeLabel } from './punycode.js';

// Specific families first: a domain two families produce is credited to the more telling one.
export const FUZZERS = [
  'plural',
  'addition',
  'bitsquatting',
  'cyrillic',
  'homoglyph',
  'hyphenation',
  'insertion',
  'omission',
  'repetition',
  'replacement',
  'subdomain',
  'transposition',
  'vowel-swap',
  'dictionary',
  'tld-swap',
  'various',
] as const;

export type Fuzzer = (typeof FUZZERS)[number];

export interface Lookalike {
  /** The family that produced it first, or `original` for the domain itself (listed first). */
  fuzzer: Fuzzer | 'original';
  /** As a reader sees it (Unicode for an IDN). */
  domain: string;
  /** As DNS and registries see it (ASCII, `xn--` labels). */
  punycode: string;
}

export interface LookalikeOptions {
  /** Words to prepend, append and swap in (`--dictionary`). */
  dictionary?: readonly string[];
  /** Suffixes to swap the domain's own for (`--tlds`), e.g. `net`, `co.uk`. */
  tlds?: readonly string[];
  /** Only these families (default: all). */
  fuzzers?: readonly Fuzzer[];
}

/** A host split at its public suffix: `www` · `example` · `co.uk`, each in Unicode. */
export interface DomainParts {
  subdomain: string;
  name: string;
  suffix: string;
}

const ASCII = /^[\x20-\x7e]*$/;
const LDH = new Set('abcdefghijklmnopqrstuvwxyz0123456789-');
const ADDED = [...'0123456789abcdefghijklmnopqrstuvwxyz'];
const VOWELS = [...'aeiou'];
const SIBILANT_END = /(?:s|x|z|ch|sh)$/;
export const HOMOGLYPH_LIMIT = 200_000;
// Every lookalike character of our tables is one IDNA keeps as it is (a test holds this), so a
// label made of them and ASCII is encoded directly, not through the full UTS #46 mapping.
const KEPT_BY_IDNA = new Set(
  [...Object.values(HOMOGLYPHS).flat(), ...Object.values(LATIN_TO_CYRILLIC)].flatMap((glyph) =>
    [...glyph].filter((char) => !ASCII.test(char)),
  ),
);

/**
 * Splits a domain name or URL into subdomain, registrable name and public suffix (multi-label
 * suffixes such as `co.uk` from the Public Suffix List).
 */
export function splitDomain(input: string): DomainParts {
  const host = hostOf(input.trim());
  const ascii = host === '' ? '' : domainToASCII(host);
  const parsed = isValidHostName(ascii) ? parse(domainToUnicode(ascii)) : null;
  if (!parsed || parsed.isIp || !parsed.domainWithoutSuffix || !parsed.publicSuffix) {
    throw new UserError('not a registrable domain name', { domain: input.slice(0, 255) });
  }
  return {
    subdomain: parsed.subdomain ?? '',
    name: parsed.domainWithoutSuffix,
    suffix: parsed.publicSuffix,
  };
}

function hostOf(input: string): string {
  if (!input.includes('/') && !input.includes('@')) return input.replace(/\.$/, '');
  try {
    return new URL(input.includes('://') ? input : `http://${input}`).hostname;
  } catch {
    return '';
  }
}

/**
 * Every lookalike of a domain, each once (the first family to produce it wins), the original
 * first. Families follow dnstwist's semantics and widen them where that cannot lose a domain
 * dnstwist finds; a candidate that is not a valid host name in punycode is dropped.
 */
export function lookalikeDomains(input: string, options: LookalikeOptions = {}): Lookalike[] {
  const parts = splitDomain(input);
  const { subdomain, name } = parts;
  const selected = new Set<Fuzzer>(options.fuzzers ?? FUZZERS);
  const collector = new Collector(parts);
  collector.addLabel('original', name);
  const chars = [...name];
  const words = (options.dictionary ?? []).map((word) => word.toLowerCase());
  for (const fuzzer of FUZZERS) {
    if (!selected.has(fuzzer)) continue;
    if (fuzzer === 'tld-swap') {
      for (const tld of options.tlds ?? [])
        collector.addDomain(fuzzer, join(subdomain, name, tld.toLowerCase()));
    } else if (fuzzer === 'various') {
      for (const domain of various(parts)) collector.addDomain(fuzzer, domain);
    } else {
      for (const label of labelVariants(fuzzer, chars, words)) collector.addLabel(fuzzer, label);
    }
  }
  return collector.lookalikes;
}

/** Encodes each candidate, keeps the valid ones, each once. */
class Collector {
  readonly lookalikes: Lookalike[] = [];
  private readonly seen = new Set<string>();
  private readonly before: string;
  private readonly after: string;
  private readonly asciiBefore: string;
  private readonly asciiAfter: string;

  constructor({ subdomain, suffix }: DomainParts) {
    this.before = subdomain === '' ? '' : `${subdomain}.`;
    this.after = `.${suffix}`;
    this.asciiBefore = subdomain === '' ? '' : `${domainToASCII(subdomain)}.`;
    this.asciiAfter = `.${domainToASCII(suffix)}`;
  }

  /** A variant of the name, between the domain's own subdomain and suffix. */
  addLabel(fuzzer: Lookalike['fuzzer'], label: string): void {
    const direct = encodeDirectly(label);
    const domain = this.before + label + this.after;
    if (direct === null) this.addDomain(fuzzer, domain);
    else this.keep(fuzzer, domain, this.asciiBefore + direct + this.asciiAfter);
  }

  addDomain(fuzzer: Lookalike['fuzzer'], domain: string): void {
    const direct = encodeDirectly(domain);
    if (direct !== null) return this.keep(fuzzer, domain, direct);
    const punycode = domainToASCII(domain);
    this.keep(fuzzer, domainToUnicode(punycode), punycode);
  }

  private keep(fuzzer: Lookalike['fuzzer'], domain: string, punycode: string): void {
    if (this.seen.has(punycode) || !isValidHostName(punycode)) return;
    this.seen.add(punycode);
    this.lookalikes.push({ fuzzer, domain, punycode });
  }
}

/** The ASCII form of a lowercase candidate IDNA would not change, or null when it might. */
function encodeDirectly(candidate: string): string | null {
  if (ASCII.test(candidate)) return candidate;
  const labels = candidate.split('.');
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (ASCII.test(label)) continue;
    if (label.startsWith('xn--')) return null;
    for (const char of label) if (char.charCodeAt(0) > 0x7f && !KEPT_BY_IDNA.has(char)) return null;
    labels[i] = `xn--${punycodeLabel(label)}`;
  }
  return labels.join('.');
}

/**
 * The rule dnstwist applies too: 4 to 253 characters, at least two labels, each of 1 to 63
 * letters, digits and hyphens without a hyphen at either end, the last of at least 2.
 */
export function isValidHostName(name: string): boolean {
  if (name.length < 4 || name.length > 253) return false;
  let start = 0;
  let labels = 0;
  for (let i = 0; i <= name.length; i++) {
    const code = i === name.length ? 46 : name.charCodeAt(i);
    if (code === 46) {
      const length = i - start;
      const last = i === name.length;
      if (length < (last ? 2 : 1) || length > 63) return false;
      if (name.charCodeAt(start) === 45 || name.charCodeAt(i - 1) === 45) return false;
      labels++;
      start = i + 1;
    } else if (!((code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 45)) {
      return false;
    }
  }
  return labels >= 2;
}

function join(...labels: string[]): string {
  return labels.filter((label) => label !== '').join('.');
}

function labelVariants(
  fuzzer: Exclude<Fuzzer, 'tld-swap' | 'various'>,
  chars: readonly string[],
  dictionary: readonly string[],
): Iterable<string> {
  switch (fuzzer) {
    case 'addition':
      return addition(chars);
    case 'bitsquatting':
      return bitsquatting(chars);
    case 'cyrillic':
      return cyrillic(chars);
    case 'homoglyph':
      return homoglyph(chars);
    case 'hyphenation':
      return insertEverywhere(chars, '-', 1, chars.length - 1);
    case 'insertion':
      return insertion(chars);
    case 'omission':
      return chars.map((_, i) => splice(chars, i, 1));
    case 'plural':
      return plural(chars.join(''));
    case 'repetition':
      return chars.map((char, i) => splice(chars, i, 0, char));
    case 'replacement':
      return replacement(chars);
    case 'subdomain':
      return subdomainSplit(chars);
    case 'transposition':
      return transposition(chars);
    case 'vowel-swap':
      return vowelSwap(chars);
    case 'dictionary':
      return withWords(chars.join(''), dictionary);
  }
}

function splice(chars: readonly string[], at: number, remove: number, insert = ''): string {
  return chars.slice(0, at).join('') + insert + chars.slice(at + remove).join('');
}

function* addition(chars: readonly string[]): Iterable<string> {
  const name = chars.join('');
  for (const char of ADDED) yield name + char;
}

/** One flipped bit in one character's code: the memory error that sends a lookup elsewhere. */
function* bitsquatting(chars: readonly string[]): Iterable<string> {
  for (let i = 0; i < chars.length; i++) {
    const code = chars[i]!.codePointAt(0)!;
    for (let bit = 0; bit < 8; bit++) {
      const flipped = String.fromCodePoint(code ^ (1 << bit));
      if (LDH.has(flipped)) yield splice(chars, i, 1, flipped);
    }
  }
}

/**
 * The whole label in Cyrillic lookalikes, when every letter has one. Registries refuse labels
 * that mix scripts, so a partial swap could not be registered; digits and hyphens are neutral.
 */
function cyrillic(chars: readonly string[]): string[] {
  let swapped = '';
  let letters = 0;
  for (const char of chars) {
    const lookalike = LATIN_TO_CYRILLIC[char];
    if (lookalike !== undefined) {
      swapped += lookalike;
      letters++;
    } else if (/[0-9-]/.test(char)) swapped += char;
    else return [];
  }
  return letters > 0 ? [swapped] : [];
}

/**
 * Lookalike characters swapped in twice over (`rn` for `m`, then `r` for `ŗ`…). The second pass
 * grows with the square of the first, so it stops at HOMOGLYPH_LIMIT variants: only a name with
 * one letter repeated dozens of times gets there (dnstwist would run for hours on it).
 */
function homoglyph(chars: readonly string[]): Set<string> {
  const first = swapGlyphs(chars);
  const all = new Set(first);
  for (const once of first) {
    for (const twice of swapGlyphs([...once])) {
      if (all.size >= HOMOGLYPH_LIMIT) return all;
      all.add(twice);
    }
  }
  return all;
}

/**
 * For each character with lookalikes, every run of its consecutive occurrences replaced by one
 * lookalike, except the run spanning the whole label (it would not read as the original).
 */
function swapGlyphs(chars: readonly string[]): Set<string> {
  const out = new Set<string>();
  const positions = new Map<string, number[]>();
  chars.forEach((char, i) => {
    if (HOMOGLYPHS[char] === undefined) return;
    const list = positions.get(char) ?? [];
    list.push(i);
    positions.set(char, list);
  });
  const last = chars.length - 1;
  for (const [char, at] of positions) {
    const glyphs = HOMOGLYPHS[char]!;
    for (let a = 0; a < at.length; a++) {
      for (let b = a; b < at.length; b++) {
        if (at[a] === 0 && at[b] === last) continue;
        // The text around and between the replaced occurrences, to be joined by each glyph.
        const gaps = [chars.slice(0, at[a]).join('')];
        for (let k = a; k < b; k++) gaps.push(chars.slice(at[k]! + 1, at[k + 1]).join(''));
        gaps.push(chars.slice(at[b]! + 1).join(''));
        for (const glyph of glyphs) out.add(gaps.join(glyph));
      }
    }
  }
  return out;
}

function* insertEverywhere(
  chars: readonly string[],
  insert: string,
  from: number,
  to: number,
): Iterable<string> {
  for (let i = from; i <= to; i++) yield splice(chars, i, 0, insert);
}

/** A neighbouring key hit with the intended one, before or after it. */
function* insertion(chars: readonly string[]): Iterable<string> {
  for (let i = 0; i < chars.length; i++) {
    for (const key of KEYBOARD_NEIGHBOURS.get(chars[i]!) ?? []) {
      yield splice(chars, i, 0, key);
      yield splice(chars, i + 1, 0, key);
    }
  }
}

/** `example` → `examples`; `box` → `boxes`; each hyphenated word too (`my-brands`, `mys-brand`). */
function* plural(name: string): Iterable<string> {
  const words = name.split('-');
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '') continue;
    for (const ending of SIBILANT_END.test(word) ? ['es', 's'] : ['s']) {
      yield [...words.slice(0, i), word + ending, ...words.slice(i + 1)].join('-');
    }
  }
}

function* replacement(chars: readonly string[]): Iterable<string> {
  for (let i = 0; i < chars.length; i++) {
    for (const key of KEYBOARD_NEIGHBOURS.get(chars[i]!) ?? []) yield splice(chars, i, 1, key);
  }
}

/** A dot slipped in: `exam.ple.com` is a host under `ple.com`, which anyone can register. */
function* subdomainSplit(chars: readonly string[]): Iterable<string> {
  for (let i = 1; i < chars.length; i++) {
    if (chars[i] !== '-' && chars[i - 1] !== '-') yield splice(chars, i, 0, '.');
  }
}

function* transposition(chars: readonly string[]): Iterable<string> {
  for (let i = 0; i + 1 < chars.length; i++) {
    yield chars.slice(0, i).join('') + chars[i + 1]! + chars[i]! + chars.slice(i + 2).join('');
  }
}

function* vowelSwap(chars: readonly string[]): Iterable<string> {
  for (let i = 0; i < chars.length; i++) {
    if (!VOWELS.includes(chars[i]!)) continue;
    for (const vowel of VOWELS) if (vowel !== chars[i]) yield splice(chars, i, 1, vowel);
  }
}

/** `example-login`, `examplelogin`, `login-example`, `loginexample`; `my-login`, `login-brand`. */
function* withWords(name: string, words: readonly string[]): Iterable<string> {
  for (const word of words) {
    if (!(name.startsWith(word) && name.endsWith(word))) {
      yield `${name}-${word}`;
      yield name + word;
      yield `${word}-${name}`;
      yield word + name;
    }
  }
  if (!name.includes('-')) return;
  const parts = name.split('-');
  for (const word of words) {
    yield [...parts.slice(0, -1), word].join('-');
    yield [word, ...parts.slice(1)].join('-');
  }
}

/** The suffix folded into the name or dropped, and the subdomain glued on. */
function* various({ subdomain, name, suffix }: DomainParts): Iterable<string> {
  if (suffix.includes('.')) {
    yield join(subdomain, name, suffix.split('.').at(-1)!);
    yield join(subdomain, name + suffix);
  } else {
    yield join(subdomain, name + suffix, suffix);
    if (suffix !== 'com') yield join(subdomain, `${name}-${suffix}`, 'com');
  }
  if (subdomain !== '') {
    yield join(subdomain + name, suffix);
    yield join(subdomain.replaceAll('.', '') + name, suffix);
    yield join(`${subdomain}-${name}`, suffix);
    yield join(`${subdomain.replaceAll('.', '-')}-${name}`, suffix);
  }
}

export type WordListKind = 'dictionary' | 'tlds';

const WORD = /^[\p{L}\p{N}]+(?:-+[\p{L}\p{N}]+)*$/u;

/**
 * The entries of a `--dictionary` (words) or `--tlds` (suffixes such as `net` or `co.uk`) file:
 * one a line, trimmed and lowercased; blank lines and `#` or `//` comments skipped. A line that could not
 * be part of a domain name is an error naming its line.
 */
export function parseWordList(text: string, kind: WordListKind, file: string): string[] {
  const words: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim().toLowerCase();
    if (line === '' || line.startsWith('#') || line.startsWith('//')) return;
    const entry = kind === 'tlds' ? line.replace(/^\./, '') : line;
    const labels = kind === 'tlds' ? entry.split('.') : [entry];
    if (!labels.every((label) => WORD.test(label))) {
      throw new UserError(
        kind === 'tlds'
          ? 'not a domain suffix: labels of letters, digits and inner hyphens, e.g. net or co.uk'
          : 'not a dictionary word: letters, digits and inner hyphens only',
        { file, line: index + 1 },
      );
    }
    words.push(entry);
  });
  return [...new Set(words)];
}
