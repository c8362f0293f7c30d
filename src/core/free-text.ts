import { UserError } from './errors.js';

// Line breaks and tabs stay (a reason may have paragraphs); other controls and bidi overrides go,
// since the text is shown on terminals and in HTML reports.
const UNSAFE_IN_TEXT = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/gu;

export const FREE_TEXT_MAX = 4000;

/**
 * A note or reason as the user gave it, minus control characters: CR LF becomes LF, other
 * controls are removed. Refuses text over FREE_TEXT_MAX characters, and empty text when required.
 */
export function cleanFreeText(value: string, flag: string, { required = false } = {}): string | null {
  const text = value
    .replace(/\r\n?/g, '\n')
    .replace(UNSAFE_IN_TEXT, (char) => (char === '\n' || char === '\t' ? char : ''))
    .trim();
  if (text.length === 0) {
    if (required) throw new UserError(`${flag} must not be empty`);
    return null;
  }
  if (text.length > FREE_TEXT_MAX) {
    throw new UserError(`${flag} is ${text.length} characters long; at most ${FREE_TEXT_MAX} are kept`);
  }
  return text;
}
