import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipInput {
  name: string;
  data: string | Uint8Array;
  /** Deflated unless `store`. */
  store?: boolean;
  /** Sizes and CRC after the data, as streaming writers do, instead of in the local header. */
  descriptor?: boolean;
  /** Marks the entry encrypted (the data is left as is). */
  encrypted?: boolean;
  /** Writes this compression method number over the stored data. */
  method?: number;
}

/** A minimal ZIP writer (APPNOTE 6.3.10, no zip64) so tests control every byte of an archive. */
export function zipArchive(inputs: readonly ZipInput[]): Buffer {
  const locals: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const input of inputs) {
    const data = Buffer.from(input.data);
    const stored = input.store ? data : deflateRawSync(data);
    const name = Buffer.from(input.name, 'utf8');
    const crc = crc32(data);
    const flags = 0x0800 | (input.descriptor ? 0x0008 : 0) | (input.encrypted ? 0x0001 : 0);
    const method = input.method ?? (input.store ? 0 : 8);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(input.descriptor ? 0 : crc, 14);
    local.writeUInt32LE(input.descriptor ? 0 : stored.length, 18);
    local.writeUInt32LE(input.descriptor ? 0 : data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const parts = [local, name, stored];
    if (input.descriptor) {
      const descriptor = Buffer.alloc(16);
      descriptor.writeUInt32LE(0x08074b50, 0);
      descriptor.writeUInt32LE(crc, 4);
      descriptor.writeUInt32LE(stored.length, 8);
      descriptor.writeUInt32LE(data.length, 12);
      parts.push(descriptor);
    }
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(flags, 8);
    entry.writeUInt16LE(method, 10);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(stored.length, 20);
    entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    directory.push(entry, name);
    const written = Buffer.concat(parts);
    locals.push(written);
    offset += written.length;
  }
  const central = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(inputs.length, 8);
  end.writeUInt16LE(inputs.length, 10);
  end.writeUInt32LE(central.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, central, end]);
}
