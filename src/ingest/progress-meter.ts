export interface DatasetProgress {
  /** Bytes of the file on disk read so far (compressed, for a compressed file). */
  bytesRead: number;
  totalBytes: number;
  rows: number;
}

const INTERVAL_MS = 250;

/** Reports progress at most every quarter second, and once more at the end. */
export class ProgressMeter {
  private last = performance.now();

  constructor(
    private readonly report: (progress: DatasetProgress) => void,
    private readonly file: { readonly bytesRead: number; readonly totalBytes: number },
  ) {}

  tick(rows: number): void {
    const now = performance.now();
    if (now - this.last < INTERVAL_MS) return;
    this.last = now;
    this.report({ bytesRead: this.file.bytesRead, totalBytes: this.file.totalBytes, rows });
  }

  finish(rows: number): void {
    this.report({ bytesRead: this.file.totalBytes, totalBytes: this.file.totalBytes, rows });
  }
}
