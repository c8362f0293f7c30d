import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { constants, crc32, createGunzip, createInflateRaw, inflateRawSync } from 'node:zlib';
import { EMPTY } from './bytes.js';
import { ChunkQueue } from './chunk-queue.js';
import type { QueuedStream } from './chunk-queue.js';
import { FileRange } from './file-range.js';
import { ENCRYPTED, dataStart, listZipEntries, readAt } from './zip-archive.js';
import type { ZipEntry, ZipListing } from './zip-archive.js';

export type DatasetCompression = 'none' | 'gzip' | 'zip';

/** One stream of records: the file itself, or one entry of a ZIP archive. */
export type SourceEntry =
  | { kind: 'unreadable'; name: string; reason: string }
  | {
      kind: 'stream';
      /** The zip entry's name; undefined for a plain or gzip file. */
      name: string | undefined;
      chunks: ChunkQueue;
      /** After the last chunk: why the data is not what the archive stored, if it is not. */
      check(): EntryProblem | undefined;
    };

export interface EntryProblem {
  reason: string;
  /** Data is missing at the end, so the row in progress is cut short too. */
  cut: boolean;
}

export interface DatasetSource {
  readonly compression: DatasetCompression;
  readonly totalBytes: number;
  /** How far into the file on disk reading has got. */
  readonly bytesRead: number;
  /** The next entry, null after the last. */
  next(): Promise<SourceEntry | null>;
  close(): void;
}

const INFLATE_CHUNK_BYTES = 256 * 1024;
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);
const ZIP_MAGICS = [Buffer.from('PK\x03\x04', 'latin1'), Buffer.from('PK\x05\x06', 'latin1')];
const STORED = 0;
const DEFLATED = 8;
/** Enough compressed bytes to inflate an entry's first few bytes, past any block header. */
const PEEK_BYTES = 4096;
const PEEK_OUTPUT_BYTES = 64 * 1024;

/**
 * Opens the file once for the magic-byte sniff and every stream, so all see the same file, and
 * hands out its entries decompressed: the file (gunzipped when gzip), or each entry of a ZIP
 * archive in turn (inflated, and gunzipped when the entry is itself gzip).
 */
export async function openDataset(path: string): Promise<DatasetSource> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const magic = await readAt(handle, 0, 4);
    return new FileSource(handle, size, compressionOf(magic));
  } catch (error) {
    await handle.close();
    throw error;
  }
}

function compressionOf(magic: Buffer): DatasetCompression {
  if (startsWith(magic, GZIP_MAGIC)) return 'gzip';
  return ZIP_MAGICS.some((zip) => startsWith(magic, zip)) ? 'zip' : 'none';
}

function startsWith(bytes: Buffer, prefix: Buffer): boolean {
  return bytes.length >= prefix.length && bytes.subarray(0, prefix.length).equals(prefix);
}

class FileSource implements DatasetSource {
  bytesRead = 0;
  private listing: ZipListing | undefined;
  private nextEntry = 0;
  private started = false;
  private closed = false;

  constructor(
    private readonly handle: FileHandle,
    readonly totalBytes: number,
    readonly compression: DatasetCompression,
  ) {}

  async next(): Promise<SourceEntry | null> {
    if (this.compression !== 'zip') {
      if (this.started) return null;
      this.started = true;
      return this.wholeFile();
    }
    this.listing ??= await listZipEntries(this.handle, this.totalBytes);
    const { entries, lost } = this.listing;
    while (this.nextEntry < entries.length) {
      const entry = entries[this.nextEntry++];
      const opened = entry === undefined ? undefined : await this.openEntry(entry);
      if (opened !== undefined) return opened;
    }
    const gone = lost.shift();
    return gone === undefined ? null : unreadable(gone.name, gone.reason);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.handle.close().catch(() => undefined);
  }

  private wholeFile(): SourceEntry {
    const file = this.fileStream(0, this.totalBytes);
    const streams: QueuedStream[] = [{ stream: file }];
    if (this.compression === 'gzip') {
      streams.push({
        stream: file.pipe(createGunzip({ chunkSize: INFLATE_CHUNK_BYTES })),
        corrupt: 'gzip data',
      });
    }
    return { kind: 'stream', name: undefined, chunks: new ChunkQueue(streams), check: () => undefined };
  }

  /** Undefined for an entry with nothing to read: a folder, an empty file, macOS metadata. */
  private async openEntry(entry: ZipEntry): Promise<SourceEntry | undefined> {
    const { name, method, compressedSize } = entry;
    if (name.endsWith('/') || name.startsWith('__MACOSX/')) return undefined;
    if ((entry.flags & ENCRYPTED) !== 0) return unreadable(name, 'zip entry is encrypted');
    if (method !== STORED && method !== DEFLATED) {
      return unreadable(name, `zip entry uses compression method ${method}, which is not read`);
    }
    const start = await dataStart(this.handle, entry);
    if (start === undefined)
      return unreadable(name, 'zip entry has no local header where the directory puts it');
    if (compressedSize === 0) return undefined;
    const head = await readAt(this.handle, start, Math.min(compressedSize, PEEK_BYTES));
    const inner = method === DEFLATED ? inflatedStart(head) : head;
    if (ZIP_MAGICS.some((zip) => startsWith(inner, zip))) {
      return unreadable(name, 'zip entry is itself a zip archive: extract it and import its files');
    }
    const file = this.fileStream(start, start + compressedSize);
    const streams: QueuedStream[] = [{ stream: file }];
    let stored: Readable = file;
    if (method === DEFLATED) {
      stored = file.pipe(createInflateRaw({ chunkSize: INFLATE_CHUNK_BYTES }));
      streams.push({ stream: stored, corrupt: 'zip entry data' });
    }
    if (startsWith(inner, GZIP_MAGIC)) {
      streams.push({
        stream: stored.pipe(createGunzip({ chunkSize: INFLATE_CHUNK_BYTES })),
        corrupt: 'gzip data',
      });
    }
    let read = 0;
    let crc = 0;
    file.on('data', (chunk: Buffer) => (read += chunk.length));
    stored.on('data', (chunk: Buffer) => (crc = crc32(chunk, crc)));
    return {
      kind: 'stream',
      name,
      chunks: new ChunkQueue(streams),
      check: () => {
        if (read < compressedSize) return { reason: 'zip entry data is truncated', cut: true };
        if (entry.crc32 === undefined || crc === entry.crc32) return undefined;
        return { reason: 'zip entry data does not match its CRC-32', cut: false };
      },
    };
  }

  private fileStream(start: number, end: number): Readable {
    return new FileRange(this.handle, start, end, (position) => {
      if (position > this.bytesRead) this.bytesRead = position;
    });
  }
}

function unreadable(name: string, reason: string): SourceEntry {
  return { kind: 'unreadable', name, reason };
}

/** The first bytes an entry inflates to, to tell gzip and nested archives apart; empty when unreadable. */
function inflatedStart(compressed: Buffer): Buffer {
  try {
    return inflateRawSync(compressed, {
      finishFlush: constants.Z_SYNC_FLUSH,
      maxOutputLength: PEEK_OUTPUT_BYTES,
    });
  } catch {
    return EMPTY;
  }
}
