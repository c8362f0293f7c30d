/**
 * Email keys compare after trimming and Unicode NFC, case-insensitively over the whole address
 * (DESIGN rule 1): no dot or plus folding, because those rules belong to individual mail hosts.
 */
export function normalizeEmail(address: string): string {
  return address.trim().normalize('NFC').toLowerCase();
}

/** A single plausible address: no whitespace or control characters that could split a header. */
export function isPlausibleAddress(value: string): boolean {
  if (value.length === 0 || value.length > 254) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f<>(),;:"\\[\]]/u.test(value)) return false;
  const at = value.indexOf('@');
  return at > 0 && at === value.lastIndexOf('@') && at < value.length - 1;
}
