/**
 * Email keys compare after trimming and Unicode NFC, case-insensitively over the whole address
 * (DESIGN rule 1): no dot or plus folding, because those rules belong to individual mail hosts.
 */
export function normalizeEmail(address: string): string {
  return address.trim().normalize('NFC').toLowerCase();
}

/**
 * A single deliverable-looking address, the one check used everywhere: no whitespace, control or
 * invisible format characters (bidi overrides, zero-width), nothing that could split a header or
 * turn into a link, and a dotted domain.
 */
export function isPlausibleAddress(value: string): boolean {
  if (value.length === 0 || value.length > 254) return false;
  if (/[\s\p{Cc}\p{Cf}<>()[\],;:"\\/]/u.test(value)) return false;
  const at = value.indexOf('@');
  if (at <= 0 || at !== value.lastIndexOf('@')) return false;
  const domain = value.slice(at + 1);
  return /^[^.]+(\.[^.]+)+$/u.test(domain);
}
