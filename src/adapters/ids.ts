import { randomBytes } from 'node:crypto';

export interface Ids {
  /** A new identifier with a readable prefix, e.g. `inc_4f9k2m7q1x`. */
  next(prefix: string): string;
  /** A reference code people can read aloud: `XXXX-XXXX-XXXX` in Crockford base32. */
  referenceCode(): string;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function base32(bytes: Uint8Array, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += CROCKFORD[(bytes[i] ?? 0) % 32];
  return out;
}

export function randomIds(random: (size: number) => Uint8Array = randomBytes): Ids {
  return {
    next: (prefix) => `${prefix}_${base32(random(12), 12).toLowerCase()}`,
    referenceCode: () => base32(random(12), 12).replace(/(.{4})(?=.)/g, '$1-'),
  };
}
