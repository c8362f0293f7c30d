/**
 * One CSV cell, quoted when needed, and defused when a spreadsheet would read it as a formula
 * (OWASP CSV injection: leading = + - @ tab or carriage return).
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly (string | number | null)[]): string {
  return values.map(csvCell).join(',');
}
