import { isUtf8 } from 'node:buffer';
import type { FileHandle } from 'node:fs/promises';

const END_OF_DIRECTORY = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_END_OF_DIRECTORY = 0x06064b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const DATA_DESCRIPTOR = 0x08074b50;
const ZIP64_EXTRA = 0x0001;
const END_OF_DIRECTORY_BYTES = 22;
const ZIP64_LOCATOR_BYTES = 20;
const ZIP64_END_BYTES = 56;
const DIRECTORY_ENTRY_BYTES = 46;
export const LOCAL_HEADER_BYTES = 30;
const MAX_COMMENT_BYTES = 0xffff;
/** A directory bigger than this (about 600,000 entries) is taken for corrupt rather than held. */
const MAX_DIRECTORY_BYTES = 64 * 1024 * 1024;
const UTF8_NAMES = 0x0800;
export const ENCRYPTED = 0x0001;
const SIZES_IN_DESCRIPTOR = 0x0008;
const SATURATED_16 = 0xffff;
const SATURATED_32 = 0xffffffff;

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated; anything else is not read. */
  method: number;
  flags: number;
  /** Unknown for an entry found by its local header whose sizes follow its data. */
  crc32: number | undefined;
  compressedSize: number;
  localHeaderOffset: number;
}

export interface ZipListing {
  entries: ZipEntry[];
  /** An entry that could not be located (central directory lost): its name and why, one row each. */
  lost: { name: string; reason: string }[];
}

/**
 * The entries of a ZIP archive in the order their data lies in the file: from the central
 * directory, or, when that is missing or corrupt (a download cut short), by walking the local
 * headers from the start for as long as they say how long their data is.
 */
export async function listZipEntries(handle: FileHandle, size: number): Promise<ZipListing> {
  const entries = await readCentralDirectory(handle, size);
  if (entries !== undefined) {
    return { entries: entries.sort((a, b) => a.localHeaderOffset - b.localHeaderOffset), lost: [] };
  }
  return walkLocalHeaders(handle, size);
}

/** Reads up to `length` bytes at `position`; fewer at the end of the file. */
export async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  // Offsets come from the archive itself, so a corrupt one may be anything.
  if (length <= 0 || !Number.isSafeInteger(position) || position < 0) return Buffer.alloc(0);
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/** Where an entry's data starts, from its local header; undefined when the header is not there. */
export async function dataStart(handle: FileHandle, entry: ZipEntry): Promise<number | undefined> {
  const header = await readAt(handle, entry.localHeaderOffset, LOCAL_HEADER_BYTES);
  if (header.length < LOCAL_HEADER_BYTES || header.readUInt32LE(0) !== LOCAL_HEADER) return undefined;
  return entry.localHeaderOffset + LOCAL_HEADER_BYTES + header.readUInt16LE(26) + header.readUInt16LE(28);
}

async function readCentralDirectory(handle: FileHandle, size: number): Promise<ZipEntry[] | undefined> {
  const tailStart = Math.max(0, size - (END_OF_DIRECTORY_BYTES + MAX_COMMENT_BYTES + ZIP64_LOCATOR_BYTES));
  const tail = await readAt(handle, tailStart, size - tailStart);
  for (let at = tail.length - END_OF_DIRECTORY_BYTES; at >= 0; at--) {
    if (tail.readUInt32LE(at) !== END_OF_DIRECTORY) continue;
    const location = await directoryLocation(handle, tail, at, tailStart);
    if (location === undefined || location.offset + location.size > size) continue;
    if (location.size > MAX_DIRECTORY_BYTES) return undefined;
    const entries = parseDirectory(await readAt(handle, location.offset, location.size), location.count);
    if (entries !== undefined) return entries;
  }
  return undefined;
}

interface DirectoryLocation {
  count: number;
  size: number;
  offset: number;
}

async function directoryLocation(
  handle: FileHandle,
  tail: Buffer,
  at: number,
  tailStart: number,
): Promise<DirectoryLocation | undefined> {
  const count = tail.readUInt16LE(at + 10);
  const size = tail.readUInt32LE(at + 12);
  const offset = tail.readUInt32LE(at + 16);
  if (count !== SATURATED_16 && size !== SATURATED_32 && offset !== SATURATED_32)
    return { count, size, offset };
  const locatorAt = at - ZIP64_LOCATOR_BYTES;
  if (locatorAt < 0 || tail.readUInt32LE(locatorAt) !== ZIP64_LOCATOR) return undefined;
  const endOffset = Number(tail.readBigUInt64LE(locatorAt + 8));
  const end =
    endOffset >= tailStart && endOffset + ZIP64_END_BYTES <= tailStart + tail.length
      ? tail.subarray(endOffset - tailStart)
      : await readAt(handle, endOffset, ZIP64_END_BYTES);
  if (end.length < ZIP64_END_BYTES || end.readUInt32LE(0) !== ZIP64_END_OF_DIRECTORY) return undefined;
  return {
    count: Number(end.readBigUInt64LE(32)),
    size: Number(end.readBigUInt64LE(40)),
    offset: Number(end.readBigUInt64LE(48)),
  };
}

function parseDirectory(directory: Buffer, count: number): ZipEntry[] | undefined {
  const entries: ZipEntry[] = [];
  let at = 0;
  while (at + DIRECTORY_ENTRY_BYTES <= directory.length && entries.length < count) {
    if (directory.readUInt32LE(at) !== DIRECTORY_ENTRY) return undefined;
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    const nameStart = at + DIRECTORY_ENTRY_BYTES;
    const extraStart = nameStart + nameLength;
    const next = extraStart + extraLength + commentLength;
    if (next > directory.length) return undefined;
    const flags = directory.readUInt16LE(at + 8);
    const sizes = zip64Sizes(directory.subarray(extraStart, extraStart + extraLength), {
      uncompressed: directory.readUInt32LE(at + 24),
      compressed: directory.readUInt32LE(at + 20),
      offset: directory.readUInt32LE(at + 42),
    });
    entries.push({
      name: entryName(directory.subarray(nameStart, extraStart), flags),
      method: directory.readUInt16LE(at + 10),
      flags,
      crc32: directory.readUInt32LE(at + 16),
      compressedSize: sizes.compressed,
      localHeaderOffset: sizes.offset,
    });
    at = next;
  }
  return entries.length === count ? entries : undefined;
}

interface Sizes {
  uncompressed: number;
  compressed: number;
  offset: number;
}

/** Sizes saturated at 0xFFFFFFFF are in the zip64 extra field, in this order, only those saturated. */
function zip64Sizes(extra: Buffer, sizes: Sizes): Sizes {
  const result = { ...sizes };
  for (let at = 0; at + 4 <= extra.length;) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    const end = Math.min(extra.length, at + 4 + length);
    if (id === ZIP64_EXTRA) {
      let field = at + 4;
      for (const key of ['uncompressed', 'compressed', 'offset'] as const) {
        if (sizes[key] !== SATURATED_32 || field + 8 > end) continue;
        result[key] = Number(extra.readBigUInt64LE(field));
        field += 8;
      }
    }
    at = end;
  }
  return result;
}

/** Names are UTF-8 when flagged, and in practice often when not; otherwise read byte for byte. */
function entryName(bytes: Buffer, flags: number): string {
  return bytes.toString((flags & UTF8_NAMES) !== 0 || isUtf8(bytes) ? 'utf8' : 'latin1');
}

async function walkLocalHeaders(handle: FileHandle, size: number): Promise<ZipListing> {
  const listing: ZipListing = { entries: [], lost: [] };
  let at = 0;
  while (at + LOCAL_HEADER_BYTES <= size) {
    const header = await readAt(handle, at, LOCAL_HEADER_BYTES);
    if (header.length < LOCAL_HEADER_BYTES || header.readUInt32LE(0) !== LOCAL_HEADER) break;
    const flags = header.readUInt16LE(6);
    const nameLength = header.readUInt16LE(26);
    const extraLength = header.readUInt16LE(28);
    const variable = await readAt(handle, at + LOCAL_HEADER_BYTES, nameLength + extraLength);
    const name = entryName(variable.subarray(0, nameLength), flags);
    const sizes = zip64Sizes(variable.subarray(nameLength), {
      uncompressed: header.readUInt32LE(22),
      compressed: header.readUInt32LE(18),
      offset: at,
    });
    if ((flags & SIZES_IN_DESCRIPTOR) !== 0 && sizes.compressed === 0) {
      listing.lost.push({ name, reason: 'zip entry cannot be located without the central directory' });
      break;
    }
    listing.entries.push({
      name,
      method: header.readUInt16LE(8),
      flags,
      crc32: (flags & SIZES_IN_DESCRIPTOR) === 0 ? header.readUInt32LE(14) : undefined,
      compressedSize: sizes.compressed,
      localHeaderOffset: at,
    });
    at += LOCAL_HEADER_BYTES + nameLength + extraLength + sizes.compressed;
    if ((flags & SIZES_IN_DESCRIPTOR) !== 0) at += await descriptorLength(handle, at);
  }
  return listing;
}

/** A data descriptor is 12 bytes, or 16 with its optional signature (zip64 ones are longer still). */
async function descriptorLength(handle: FileHandle, at: number): Promise<number> {
  const start = await readAt(handle, at, 4);
  return start.length === 4 && start.readUInt32LE(0) === DATA_DESCRIPTOR ? 16 : 12;
}
