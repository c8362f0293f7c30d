import { domainToASCII, domainToUnicode } from 'node:url';
import { describe, expect, it } from 'vitest';
import { confusableSkeleton, HOMOGLYPHS, LATIN_TO_CYRILLIC } from '../../src/core/homoglyphs.js';
import { punycodeLabel } from '../../src/core/punycode.js';

describe('confusable skeleton', () => {
  it('folds Cyrillic, Greek, accented and digit lookalikes to the Latin word', () => {
    for (const lookalike of ['раураӏ', 'pаypal', 'paypa1', 'pαypál', 'ṗaypal', 'payƥal', 'PayPal']) {
      expect(confusableSkeleton(lookalike), lookalike).toBe('paypal');
    }
  });

  it('folds letter pairs that read as one letter', () => {
    expect(confusableSkeleton('rnicrosoft')).toBe(confusableSkeleton('microsoft'));
    expect(confusableSkeleton('vvells-fargo')).toBe(confusableSkeleton('wells-fargo'));
    expect(confusableSkeleton('clropbox')).toBe(confusableSkeleton('dropbox'));
  });

  it('keeps different words apart', () => {
    expect(confusableSkeleton('paypal')).not.toBe(confusableSkeleton('paypak'));
    expect(confusableSkeleton('mail')).not.toBe(confusableSkeleton('mall'));
  });

  it('folds every single-character glyph of the tables back to its letter', () => {
    for (const [letter, glyphs] of Object.entries(HOMOGLYPHS)) {
      if (!/[a-z]/.test(letter)) continue;
      for (const glyph of glyphs.filter((g) => [...g].length === 1 && g > '\x7f')) {
        expect(confusableSkeleton(`x${glyph}x`), `${glyph} for ${letter}`).toBe(
          confusableSkeleton(`x${letter}x`),
        );
      }
    }
  });
});

describe('lookalike tables', () => {
  const glyphs = [...Object.values(HOMOGLYPHS).flat(), ...Object.values(LATIN_TO_CYRILLIC)].filter(
    (glyph) => glyph > '\x7f',
  );

  it('hold only characters IDNA keeps as they are, so their punycode needs no mapping', () => {
    for (const glyph of glyphs) {
      const ascii = domainToASCII(`a${glyph}b.com`);
      expect(ascii, glyph).toBe(`xn--${punycodeLabel(`a${glyph}b`)}.com`);
      expect(domainToUnicode(ascii), glyph).toBe(`a${glyph}b.com`);
    }
  });

  it('encode punycode as RFC 3492 does', () => {
    expect(punycodeLabel('bücher')).toBe('bcher-kva');
    expect(punycodeLabel('раураӏ')).toBe('80aa0cbo65f');
    expect(punycodeLabel('münchen-straße')).toBe(domainToASCII('münchen-straße.de').slice(4, -3));
  });
});
