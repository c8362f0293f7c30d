import { EMPTY } from './bytes.js';

/**
 * Collects the bytes of one row that may span chunks, and forgets them once the row is over the
 * size limit so an oversize row is skipped without being held.
 */
export class RowBytes {
  private parts: Buffer[] = [];
  private size = 0;
  oversize = false;

  constructor(private readonly maxRecordBytes: number) {}

  get length(): number {
    return this.size;
  }

  add(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.size += bytes.length;
    if (this.oversize) return;
    if (this.size > this.maxRecordBytes) {
      this.oversize = true;
      this.parts = [];
    } else {
      this.parts.push(bytes);
    }
  }

  /** Adds the last piece and returns the whole row, or null when it was over the limit. */
  finish(last: Buffer): Buffer | null {
    this.add(last);
    const parts = this.parts;
    const oversize = this.oversize;
    this.parts = [];
    this.size = 0;
    this.oversize = false;
    if (oversize) return null;
    return parts.length === 1 ? (parts[0] ?? EMPTY) : Buffer.concat(parts);
  }
}

/** The quarantine reason for a row over the limit. */
export function tooLarge(maxRecordBytes: number): string {
  return `row exceeds ${formatBytes(maxRecordBytes)}`;
}

function formatBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
