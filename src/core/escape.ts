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
