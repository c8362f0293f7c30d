const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;

export const EMPTY: Buffer = Buffer.alloc(0);

export function isWhitespace(byte: number | undefined): boolean {
  return byte === SPACE || byte === LF || byte === CR || byte === TAB;
}

export function firstNonWhitespace(bytes: Buffer): number {
  for (let i = 0; i < bytes.length; i++) if (!isWhitespace(bytes[i])) return i;
  return -1;
}

export function isBlank(bytes: Buffer): boolean {
  return firstNonWhitespace(bytes) === -1;
}
