import type { Readable } from 'node:stream';

const QUEUED_CHUNKS = 4;

/**
 * Buffers a few chunks from 'data' events; unlike the stream's async iterator it hands out every
 * chunk decompressed before an error, so a truncated gzip loses nothing that was readable.
 */
export class ChunkQueue {
  private readonly chunks: Buffer[] = [];
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private readonly output: Readable;

  constructor(private readonly streams: readonly Readable[]) {
    const output = streams.at(-1);
    if (output === undefined) throw new Error('ChunkQueue needs a stream');
    this.output = output;
    output.on('data', (chunk: Buffer) => this.add(chunk));
    output.on('end', () => this.finish(undefined));
    output.on('error', (error) => this.finish(error));
  }

  /** The next chunk, null at the end; rethrows a stream error once the chunks before it are taken. */
  async next(): Promise<Buffer | null> {
    while (this.chunks.length === 0 && !this.ended) {
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    const chunk = this.chunks.shift();
    if (chunk !== undefined) {
      if (this.chunks.length < QUEUED_CHUNKS && this.output.isPaused()) this.output.resume();
      return chunk;
    }
    if (this.failure !== undefined) throw this.failure;
    return null;
  }

  close(): void {
    for (const stream of this.streams) stream.destroy();
  }

  private add(chunk: Buffer): void {
    this.chunks.push(chunk);
    if (this.chunks.length >= QUEUED_CHUNKS) this.output.pause();
    this.notify();
  }

  private finish(failure: Error | undefined): void {
    this.ended = true;
    this.failure ??= failure;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
