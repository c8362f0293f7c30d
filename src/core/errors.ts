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
