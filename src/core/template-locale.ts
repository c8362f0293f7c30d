export const DEFAULT_LOCALE = 'en';

/**
 * The best of the available locales for a requested one: the locale itself, then each shorter
 * prefix (`de-AT` → `de`), then the default. Matching ignores case and accepts `_` for `-`.
 */
export function chooseLocale(
  requested: string | null | undefined,
  available: readonly string[],
  fallback: string = DEFAULT_LOCALE,
): string {
  const byKey = new Map(available.map((locale) => [localeKey(locale), locale]));
  const parts = localeKey(requested ?? '').split('-');
  for (let length = parts.length; length > 0; length--) {
    const found = byKey.get(parts.slice(0, length).join('-'));
    if (found !== undefined) return found;
  }
  return fallback;
}

function localeKey(locale: string): string {
  return locale.trim().toLowerCase().replace(/_/g, '-');
}
