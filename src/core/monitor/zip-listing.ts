import { inflateRawSync } from 'node:zlib';
import type { ArchiveEntryName } from './mail-facts.js';

/** What a ZIP held, read from its central directory in memory; nothing is written anywhere. */
export interface ZipListing {
  entries: ArchiveEntryName[];
  status: 'listed' | 'encrypted' | 'too_deep' | 'unreadable';
}

export const ZIP_LIMITS = {
  /** Archives inside archives are opened this deep; deeper nesting is itself a signal. */
  depth: 3,
  entries: 500,
  /** Nested archives are inflated in memory, all of them together up to this size. */
  nestedBytes: 8 * 1024 * 1024,
} as const;

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const ENCRYPTED = 0x0001;

export function isZip(content: Buffer): boolean {
  return content.length >= 22 && content.readUInt32LE(0) === LOCAL_HEADER;
}

export function listZip(content: Buffer, depth = 1): ZipListing {
  const entries: ArchiveEntryName[] = [];
  let status: ZipListing['status'] = 'listed';
  const worse = (next: ZipListing['status']) => {
    const rank = { listed: 0, unreadable: 1, encrypted: 2, too_deep: 3 } as const;
    if (rank[next] > rank[status]) status = next;
  };
  let budget: number = ZIP_LIMITS.nestedBytes;
  const walk = (zip: Buffer, level: number) => {
    const directory = readDirectory(zip);
    if (!directory) return worse('unreadable');
    for (const entry of directory) {
      if (entries.length >= ZIP_LIMITS.entries) return;
      entries.push({ name: entry.name, depth: level });
      if (entry.flags & ENCRYPTED) worse('encrypted');
      if (!/\.(zip|jar|docx|docm|xlsx|xlsm|pptx|pptm)$/i.test(entry.name)) continue;
      if (level >= ZIP_LIMITS.depth) {
        if (/\.zip$/i.test(entry.name)) worse('too_deep');
        continue;
      }
      const inner = budget > 0 ? entryData(zip, entry, budget) : null;
      if (!inner) continue;
      budget -= inner.length;
      if (isZip(inner)) walk(inner, level + 1);
    }
  };
  try {
    walk(content, depth);
  } catch {
    worse('unreadable');
  }
  return { entries, status };
}

/** An OOXML document (docx, xlsm…) whose package carries a VBA project. */
export function hasVbaProject(listing: ZipListing): boolean {
  return listing.entries.some((entry) => /(^|\/)vbaProject\.bin$/i.test(entry.name));
}

interface DirectoryEntry {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  localHeaderOffset: number;
}

function readDirectory(zip: Buffer): DirectoryEntry[] | null {
  const end = findEndOfDirectory(zip);
  if (end < 0) return null;
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const entries: DirectoryEntry[] = [];
  for (let i = 0; i < count && entries.length < ZIP_LIMITS.entries; i++) {
    if (offset + 46 > zip.length || zip.readUInt32LE(offset) !== DIRECTORY_ENTRY)
      return entries.length ? entries : null;
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    entries.push({
      flags: zip.readUInt16LE(offset + 8),
      method: zip.readUInt16LE(offset + 10),
      compressedSize: zip.readUInt32LE(offset + 20),
      localHeaderOffset: zip.readUInt32LE(offset + 42),
      name: zip.toString('utf8', offset + 46, Math.min(zip.length, offset + 46 + nameLength)),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function findEndOfDirectory(zip: Buffer): number {
  const stop = Math.max(0, zip.length - 22 - 0xffff);
  for (let at = zip.length - 22; at >= stop; at--) {
    if (zip.readUInt32LE(at) === END_OF_DIRECTORY) return at;
  }
  return -1;
}

function entryData(zip: Buffer, entry: DirectoryEntry, budget: number): Buffer | null {
  const at = entry.localHeaderOffset;
  if (entry.flags & ENCRYPTED || at + 30 > zip.length || zip.readUInt32LE(at) !== LOCAL_HEADER) return null;
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const data = zip.subarray(start, Math.min(zip.length, start + entry.compressedSize));
  if (entry.method === 0) return data;
  if (entry.method !== 8) return null;
  try {
    return inflateRawSync(data, { maxOutputLength: budget });
  } catch {
    return null;
  }
}
