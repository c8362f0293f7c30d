import { isUtf8 } from 'node:buffer';

/** Only V8's fixed wording survives: the quoted token and the source excerpt are dataset values. */
const SAFE_JSON_ERROR = /^(?:[\w ()]|'[{}[\],:]')+$/;

/** Why a record's text is quarantined, in words that hold no value from it. */
export class RecordProblem {
  constructor(readonly reason: string) {}
}

const INVALID_UTF8 = new RecordProblem('invalid UTF-8');

/**
 * One record's bytes parsed as JSON, or the problem (no object per record when it parses).
 * `knownUtf8` skips the encoding check for bytes already checked as part of a larger whole.
 */
export function parseRecordText(bytes: Uint8Array, knownUtf8 = false): unknown {
  if (!knownUtf8 && !isUtf8(bytes)) return INVALID_UTF8;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    return new RecordProblem(`malformed JSON: ${describeJsonError(error)}`);
  }
}

function describeJsonError(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  if (message.startsWith('Unexpected token')) return 'Unexpected token';
  return SAFE_JSON_ERROR.test(message) ? message : 'invalid syntax';
}
