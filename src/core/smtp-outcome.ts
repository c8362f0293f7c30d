export type SendFailure =
  | { kind: 'permanent'; reason: string }
  | { kind: 'temporary'; reason: string }
  | { kind: 'fatal'; reason: string };

interface SmtpErrorShape {
  responseCode?: number;
  response?: string;
  code?: string;
  command?: string;
  message?: string;
}

/**
 * Decides what a failed send means. A 5xx about the recipient or the message is final for that
 * notice; a 4xx or a broken connection is worth another try; a refusal of us (authentication,
 * greeting, sender address) would fail every notice alike, so the run stops and nothing is marked.
 */
export function classifySendError(error: unknown): SendFailure {
  const { responseCode, response, code, command, message } = (error ?? {}) as SmtpErrorShape;
  const reason = oneLine(response ?? ([code, message].filter(Boolean).join(': ') || 'unknown error'));
  const refused = typeof responseCode === 'number' && responseCode >= 500;
  if (code === 'EAUTH') return { kind: 'fatal', reason: `authentication failed: ${reason}` };
  if (
    refused &&
    (command === 'CONN' || command === 'MAIL FROM' || command === 'EHLO' || command === 'HELO')
  ) {
    return { kind: 'fatal', reason: `the server refused the session: ${reason}` };
  }
  if (refused) return { kind: 'permanent', reason };
  return { kind: 'temporary', reason };
}

/** Exponential backoff from one minute, capped at an hour. */
export function retryDelayMs(attempt: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempt - 1), 3_600_000);
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').slice(0, 500);
}
