/** What kind of problem a UserError is, so the HTTP side can pick its status code. */
export type UserErrorKind =
  'invalid' | 'not-found' | 'conflict' | 'unauthorized' | 'forbidden' | 'rate-limited';

/** An error the user can act on: printed as one line, never as a stack trace. */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    readonly context: Readonly<Record<string, string | number>> = {},
    readonly kind: UserErrorKind = 'invalid',
  ) {
    super(message);
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}

/** Error codes of a disk that is full or refuses a write: SQLite's, PostgreSQL's, the OS's. */
const STORAGE_CODES = new Set(['SQLITE_FULL', 'SQLITE_IOERR_WRITE', '53100', 'ENOSPC', 'EDQUOT', 'EFBIG']);

/**
 * A failed write to the disk (full, over a quota or a file-size limit) as an error the user can act
 * on: nothing is wrong with the data, and what was not committed has been rolled back, so the same
 * command can run again once there is room. Undefined for any other error.
 */
export function storageFailure(error: unknown): UserError | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string' || !STORAGE_CODES.has(code)) return undefined;
  return new UserError(
    `could not write to disk (${(error as Error).message}); what was not committed is rolled back: free space where the database and its temporary files live, then run the command again`,
    { code },
  );
}
