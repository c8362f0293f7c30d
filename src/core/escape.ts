const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ENTITIES[char] ?? char);
}

// Bidi overrides and isolates are stripped too: they can make a name read as a different one.
const UNSAFE_IN_A_LINE = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/gu;

/** One clean line for a header (Subject, display names) or a single line of text: no CR, LF or controls. */
export function headerSafe(value: string): string {
  return value.replace(UNSAFE_IN_A_LINE, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * A field name from a dataset, safe to print on a terminal or store: control and invisible format
 * characters (escape sequences, CR/LF, bidi overrides) become visible `\u` escapes.
 */
export function printableName(name: string): string {
  const shown = name.length > 200 ? `${name.slice(0, 200)}…` : name;
  return shown.replace(
    /[\p{Cc}\p{Cf}\u2028\u2029]/gu,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
