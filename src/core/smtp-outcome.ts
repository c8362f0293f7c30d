export type SendFailure = { kind: 'permanent'; reason: string } | { kind: 'temporary'; reason: string };

/** 5xx replies are final; 4xx replies and connection trouble are worth another try. */
export function classifySendError(error: unknown): SendFailure {
  const { responseCode, response, code, message } = (error ?? {}) as {
    responseCode?: number;
    response?: string;
    code?: string;
    message?: string;
  };
  const reason = oneLine(response ?? [code, message].filter(Boolean).join(': ') ?? 'unknown error');
  if (typeof responseCode === 'number' && responseCode >= 500) return { kind: 'permanent', reason };
  return { kind: 'temporary', reason };
}

/** Exponential backoff from one minute, capped at an hour. */
export function retryDelayMs(attempt: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempt - 1), 3_600_000);
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').slice(0, 500);
}
