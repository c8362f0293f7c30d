/**
 * Characters that pass for an ASCII letter or digit in a domain name: other ASCII letters and
 * digits, letter pairs (`rn` for `m`), and Latin letters with diacritics or from the IPA and
 * small-capital blocks. A superset of dnstwist's table, so our homoglyph permutations cover its own.
 */
export const HOMOGLYPHS: Readonly<Record<string, readonly string[]>> = {
  '0': ['o'],
  '1': ['l', 'i'],
  '2': ['ƻ'],
  '3': ['8'],
  '5': ['ƽ'],
  '6': ['9'],
  '8': ['3'],
  '9': ['6'],
  a: [...'àáâãäåāɑạǎăȧąə'],
  b: ['d', 'lb', ...'ʙɓḃḅḇƅ'],
  c: ['e', ...'ƈċćçčĉᴄ'],
  d: ['b', 'cl', 'dl', ...'ɗđďɖḑḋḍḏḓ'],
  e: ['c', ...'éèêëēĕěėẹęȩɇḛẽ'],
  f: [...'ƒḟ'],
  g: ['q', ...'ɢɡġğǵģĝǧǥ'],
  h: ['lh', ...'ĥȟħɦḧḩⱨḣḥḫẖ'],
  i: ['1', 'l', ...'íìïîĩıɩǐĭỉịɨȋīɪ'],
  j: [...'ʝǰɉĵ'],
  k: ['lk', 'ik', 'lc', ...'ḳḵⱪķᴋ'],
  l: ['1', 'i', ...'ɫł'],
  m: ['n', 'nn', 'rn', 'rr', ...'ṁṃᴍɱḿ'],
  n: ['m', 'r', ...'ńṅṇṉñņǹňꞑ'],
  o: ['0', ...'òóôõöøōŏőȯọỏơᴏ'],
  p: [...'ƿƥṕṗ'],
  q: ['g', 'ʠ'],
  r: [...'ʀɼɽŕŗřɍɾȓȑṙṛṟ'],
  s: [...'ʂśṣṡșŝšꜱ'],
  t: [...'ţŧṫṭțƫ'],
  u: [...'ᴜǔŭüʉùúûũūųưůűȕȗụ'],
  v: [...'ṿⱱᶌṽⱴᴠ'],
  w: ['vv', ...'ŵẁẃẅⱳẇẉẘᴡ'],
  x: [...'ẋẍ'],
  y: [...'ʏýÿŷƴȳɏỿẏỵ'],
  z: [...'ʐżźᴢƶẓẕⱬ'],
};

/** Cyrillic letters drawn like a Latin one; a label made only of them reads as the Latin word. */
export const LATIN_TO_CYRILLIC: Readonly<Record<string, string>> = {
  a: 'а',
  b: 'ь',
  c: 'с',
  d: 'ԁ',
  e: 'е',
  g: 'ԍ',
  h: 'һ',
  i: 'і',
  j: 'ј',
  k: 'к',
  l: 'ӏ',
  m: 'м',
  o: 'о',
  p: 'р',
  q: 'ԛ',
  s: 'ѕ',
  t: 'т',
  v: 'ѵ',
  w: 'ԝ',
  x: 'х',
  y: 'у',
};

// Modeled on the UTS #39 skeleton, restricted to what can appear in a domain label: i and l stay
// apart as there, but digits and Greek letters that read as a Latin letter fold to it.
const OTHER_FOLDS: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'l',
  '|': 'l',
  α: 'a',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
};
const PAIR_FOLDS: readonly (readonly [RegExp, string])[] = [
  [/rn/g, 'm'],
  [/vv/g, 'w'],
  [/cl/g, 'd'],
];

const SINGLE_FOLDS: ReadonlyMap<string, string> = buildSingleFolds();

function buildSingleFolds(): Map<string, string> {
  const folds = new Map<string, string>(Object.entries(OTHER_FOLDS));
  for (const [latin, cyrillic] of Object.entries(LATIN_TO_CYRILLIC)) folds.set(cyrillic, latin);
  for (const [base, glyphs] of Object.entries(HOMOGLYPHS)) {
    if (!/[a-z]/.test(base)) continue;
    for (const glyph of glyphs) {
      // Other ASCII letters and pairs are real spellings; only foreign code points fold.
      if ([...glyph].length === 1 && glyph.codePointAt(0)! > 0x7f && !folds.has(glyph))
        folds.set(glyph, base);
    }
  }
  return folds;
}

/**
 * The form two labels share when they look alike: `раураӏ`, `pаypal`, `paypa1` and `pαypál` all
 * become `paypal`, `rnicrosoft` becomes `microsoft`. Diacritics are dropped, Cyrillic and IPA
 * lookalikes and look-alike digits folded to the Latin letter, then `rn`/`vv`/`cl` to `m`/`w`/`d`.
 * Deliberately coarse: compare skeletons, never show one to a user.
 */
export function confusableSkeleton(label: string): string {
  let folded = '';
  for (const char of label.toLowerCase()) {
    const direct = SINGLE_FOLDS.get(char);
    if (direct !== undefined) {
      folded += direct;
      continue;
    }
    const bare = char.normalize('NFKD').replace(/\p{M}/gu, '');
    folded += SINGLE_FOLDS.get(bare) ?? bare;
  }
  for (const [pair, letter] of PAIR_FOLDS) folded = folded.replace(pair, letter);
  return folded;
}
