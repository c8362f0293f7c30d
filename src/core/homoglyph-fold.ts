import { HOMOGLYPHS, LATIN_TO_CYRILLIC } from './homoglyphs.js';

/**
 * Folds text to a "skeleton" so that strings a reader would confuse compare equal: `0penai`,
 * `оpenai` (Cyrillic о) and `openal` all fold to the same letters as `openai`. Both sides of a
 * comparison must be folded. Unlike `confusableSkeleton` (domain labels) it also folds `i` into
 * `l`, since mail text shows both in fonts where they look the same, and it is built to search
 * long text fast. Its table adds Greek and digits to the look-alike generator's tables.
 */
// prettier-ignore
const OWN: Readonly<Record<string, string>> = {
  // Cyrillic
  а: 'a', в: 'b', е: 'e', ё: 'e', һ: 'h', і: 'l', ї: 'l', ј: 'j', к: 'k', м: 'm', н: 'h', о: 'o',
  р: 'p', с: 'c', т: 't', у: 'y', х: 'x', ѕ: 's', ԁ: 'd', ԛ: 'q', ԝ: 'w', ӏ: 'l', ү: 'y', ѵ: 'v',
  // Greek
  α: 'a', β: 'b', ε: 'e', η: 'n', ι: 'l', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x',
  ω: 'w', ϲ: 'c',
  // Latin look-alikes and digits
  ı: 'l', ɩ: 'l', ǀ: 'l', ɡ: 'g', ß: 'b', ø: 'o', đ: 'd', ł: 'l', ħ: 'h', i: 'l', '1': 'l',
  '|': 'l', '0': 'o', '5': 's', '3': 'e', '4': 'a', '7': 't', '8': 'b',
};

const SINGLE: Readonly<Record<string, string>> = buildTable();

function buildTable(): Record<string, string> {
  const table: Record<string, string> = { ...OWN };
  const fold = (latin: string) => (latin === 'i' ? 'l' : latin);
  for (const [latin, cyrillic] of Object.entries(LATIN_TO_CYRILLIC)) table[cyrillic] ??= fold(latin);
  for (const [base, glyphs] of Object.entries(HOMOGLYPHS)) {
    if (!/^[a-z]$/.test(base)) continue;
    // Other ASCII letters and pairs are real spellings; only foreign code points fold.
    for (const glyph of glyphs) if ([...glyph].length === 1 && glyph > '\u007f') table[glyph] ??= fold(base);
  }
  return table;
}

/** One pattern per target letter with a constant replacement: much faster than a callback per match. */
const GROUPS: readonly (readonly [RegExp, string])[] = [...groupBy(SINGLE)].map(
  ([target, sources]) =>
    [new RegExp(`[${sources.join('').replace(/[\\\]^-]/g, '\\$&')}]`, 'gu'), target] as const,
);

function groupBy(table: Readonly<Record<string, string>>): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const [source, target] of Object.entries(table))
    groups.set(target, [...(groups.get(target) ?? []), source]);
  return groups;
}

export function foldHomoglyphs(text: string): string {
  // NFKD splits accents off (é → e + ◌́) and maps full-width and mathematical letters to ASCII.
  let folded = (
    /[^ -~\t\r\n]/.test(text) ? text.normalize('NFKD').replace(/\p{M}/gu, '') : text
  ).toLowerCase();
  for (const [pattern, target] of GROUPS) folded = folded.replace(pattern, target);
  return folded.replace(/rn/g, 'm').replace(/vv/g, 'w').replace(/cl/g, 'd');
}

const PAIR_SOURCES: Readonly<Record<string, string>> = { m: 'rn', w: 'vv', d: 'cl' };

/**
 * A regular expression source matching, in lowercased text, anything that folds to `folded`
 * (a folded string): each letter becomes the class of its look-alikes. Searching long text this
 * way is far cheaper than folding all of it; accents are not stripped.
 */
export function confusablePattern(folded: string): string {
  const sources = groupBy(SINGLE);
  let pattern = '';
  for (const char of folded) {
    const chars = [char, ...(sources.get(char) ?? [])].join('').replace(/[\\\]^-]/g, '\\$&');
    const pair = PAIR_SOURCES[char];
    const escaped = char.length === 1 && /[.*+?^${}()|[\]\\]/.test(char) ? `\\${char}` : `[${chars}]`;
    pattern += pair ? `(?:${escaped}|${pair})` : escaped;
  }
  return pattern;
}

/** True when the text has letters from more than one script (e.g. Latin and Cyrillic). */
export function isMixedScript(text: string): boolean {
  const latin = /\p{Script=Latin}/u.test(text);
  const cyrillic = /\p{Script=Cyrillic}/u.test(text);
  const greek = /\p{Script=Greek}/u.test(text);
  return Number(latin) + Number(cyrillic) + Number(greek) > 1;
}
