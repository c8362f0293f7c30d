import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';

const READ_CHUNK_BYTES = 1024 * 1024;

/**
 * A byte range of an open file as a stream. Unlike `createReadStream`, destroying it leaves the
 * file open, so a ZIP archive's next entry can still be read after one is abandoned.
 */
export class FileRange extends Readable {
  constructor(
    private readonly handle: FileHandle,
    private position: number,
    /** Exclusive; the file's end comes first when the file is shorter. */
    private readonly end: number,
    private readonly onBytes: (position: number) => void,
  ) {
    super({ highWaterMark: READ_CHUNK_BYTES });
  }

  override _read(): void {
    const length = Math.min(READ_CHUNK_BYTES, this.end - this.position);
    if (length <= 0) {
      this.push(null);
      return;
    }
    this.handle.read(Buffer.allocUnsafe(length), 0, length, this.position).then(
      ({ bytesRead, buffer }) => {
        if (bytesRead === 0) {
          this.push(null);
          return;
        }
        this.position += bytesRead;
        this.onBytes(this.position);
        this.push(bytesRead === length ? buffer : buffer.subarray(0, bytesRead));
      },
      (error: Error) => this.destroy(error),
    );
  }
}
