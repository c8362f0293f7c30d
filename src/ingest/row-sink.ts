import { isUtf8 } from 'node:buffer';
import { toExposedRecord } from '../core/profile-record.js';
import type { DatasetRow } from './read-dataset.js';

/** Only V8's fixed wording survives: the quoted token and the source excerpt are dataset values. */
const SAFE_JSON_ERROR = /^(?:[\w ()]|'[{}[\],:]')+$/;

/** Numbers the rows and turns record text into valid or quarantined rows. */
export class RowSink {
  private ordinal = 0;
  private rows: DatasetRow[] = [];

  constructor(private readonly orgKeys: readonly string[]) {}

  json(line: number, bytes: Buffer): void {
    if (!isUtf8(bytes)) {
      this.quarantine(line, 'invalid UTF-8');
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      this.quarantine(line, `malformed JSON: ${describeJsonError(error)}`);
      return;
    }
    this.record(line, value);
  }

  record(line: number, value: unknown): void {
    const result = toExposedRecord(value, this.orgKeys);
    if (result.ok) this.rows.push({ ordinal: ++this.ordinal, line, status: 'valid', fields: result.record });
    else this.quarantine(line, result.reason, result.field);
  }

  quarantine(line: number, reason: string, field?: string): void {
    const row: DatasetRow = { ordinal: ++this.ordinal, line, status: 'quarantined', reason };
    if (field !== undefined) row.field = field;
    this.rows.push(row);
  }

  take(): DatasetRow[] {
    const rows = this.rows;
    this.rows = [];
    return rows;
  }
}

function describeJsonError(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  if (message.startsWith('Unexpected token')) return 'Unexpected token';
  return SAFE_JSON_ERROR.test(message) ? message : 'invalid syntax';
}
