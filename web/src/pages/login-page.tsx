import { useState, type FormEvent } from 'react';
import { api, field, setCsrfToken } from '../api.js';
import { Problem } from '../components/common.js';
import type { Session } from '../types.js';

/** Email, password and the 6-digit code from the authenticator app. */
export function LoginPage({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    try {
      const session = await api<Session>('POST', '/api/session', {
        email: field(form, 'email'),
        password: field(form, 'password'),
        code: field(form, 'code'),
      });
      setCsrfToken(session.csrfToken);
      onSignedIn(session);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
      setBusy(false);
    }
  };
  return (
    <main className="login">
      <h1>breachdesk</h1>
      <form onSubmit={(event) => void submit(event)} aria-describedby="login-help">
        <p id="login-help">Sign in with your password and the code from your authenticator app.</p>
        <label htmlFor="email">Email</label>
        <input id="email" name="email" type="email" autoComplete="username" required autoFocus />
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
        <label htmlFor="code">Authenticator code</label>
        <input
          id="code"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9]{6}"
          maxLength={6}
          required
        />
        <Problem error={error} />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}
