import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ChunkQueue } from './chunk-queue.js';
import type { DatasetCompression } from './read-dataset.js';

const READ_CHUNK_BYTES = 1024 * 1024;
const GUNZIP_CHUNK_BYTES = 256 * 1024;

/**
 * Opens the file once for both the magic-byte sniff and the stream, so both see the same file, and
 * queues its bytes, gunzipped when it is gzip.
 */
export async function openDataset(
  path: string,
): Promise<{ compression: DatasetCompression; source: ChunkQueue }> {
  const handle = await open(path, 'r');
  let compression: DatasetCompression;
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    compression = bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b ? 'gzip' : 'none';
  } catch (error) {
    await handle.close();
    throw error;
  }
  return { compression, source: new ChunkQueue(openStreams(handle, compression)) };
}

function openStreams(handle: FileHandle, compression: DatasetCompression): Readable[] {
  const file = handle.createReadStream({ start: 0, highWaterMark: READ_CHUNK_BYTES });
  if (compression === 'none') return [file];
  const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES });
  file.on('error', (error) => gunzip.destroy(error));
  return [file, file.pipe(gunzip)];
}
