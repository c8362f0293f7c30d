import type { Readable } from 'node:stream';
import { errorCode } from './error-code.js';

const QUEUED_CHUNKS = 4;

/** A decompression layer failed: the rest of its stream cannot be read. */
export class CorruptInput extends Error {
  override readonly name = 'CorruptInput';
  constructor(readonly reason: string) {
    super(reason);
  }
}

export interface QueuedStream {
  stream: Readable;
  /** What a zlib error in this stream shows to be corrupt ("gzip data"); absent for file reads. */
  corrupt?: string;
}

/**
 * Buffers a few chunks from the last stream's 'data' events; unlike the stream's async iterator it
 * hands out every chunk decompressed before an error, so a truncated gzip loses nothing that was
 * readable. An error in any stream of the chain ends it.
 */
export class ChunkQueue {
  private readonly chunks: Buffer[] = [];
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private readonly output: Readable;

  constructor(private readonly streams: readonly QueuedStream[]) {
    const output = streams.at(-1)?.stream;
    if (output === undefined) throw new Error('ChunkQueue needs a stream');
    this.output = output;
    output.on('data', (chunk: Buffer) => this.add(chunk));
    output.on('end', () => this.finish(undefined));
    for (const { stream, corrupt } of streams) {
      stream.on('error', (error) => this.finish(asFailure(error, corrupt)));
    }
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
    for (const { stream } of this.streams) stream.destroy();
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

function asFailure(error: Error, corrupt: string | undefined): Error {
  const code = errorCode(error);
  if (corrupt === undefined || !code?.startsWith('Z_')) return error;
  return new CorruptInput(`${corrupt} is corrupt or truncated (${code})`);
}
