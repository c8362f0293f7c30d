import { describe, expect, it } from 'vitest';
import { chooseLocale } from '../../src/core/template-locale.js';

describe('chooseLocale', () => {
  const available = ['de', 'en', 'fr-CA'];

  it('falls back from a regional locale to its language', () => {
    expect(chooseLocale('de-AT', available)).toBe('de');
  });

  it('falls back to English when neither the locale nor its language is available', () => {
    expect(chooseLocale('pt-BR', available)).toBe('en');
  });

  it('gives people without a locale the default', () => {
    expect(chooseLocale(null, available)).toBe('en');
    expect(chooseLocale('', available)).toBe('en');
  });

  it('matches regardless of case and of underscore or hyphen', () => {
    expect(chooseLocale('FR_ca', available)).toBe('fr-CA');
    expect(chooseLocale('DE', available)).toBe('de');
  });

  it('does not take a regional template for the bare language', () => {
    expect(chooseLocale('fr', available)).toBe('en');
  });
});
