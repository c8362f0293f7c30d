import { Type } from '@sinclair/typebox';
import { publicRoute, route, type Route } from '../route-spec.js';
import { authenticate } from '../authenticate.js';
import { Email, Nullable, SessionBody } from '../schemas.js';
import { isUserError } from '../../core/errors.js';
import { clearSessionCookie, sessionCookieOf, setSessionCookie } from '../session-cookie.js';

const Login = Type.Object({
  email: Email,
  password: Type.String({ minLength: 1, maxLength: 1024 }),
  code: Type.Optional(Type.String({ maxLength: 10, description: 'the 6-digit TOTP code' })),
});

/** Sign in, who am I, sign out. A login always starts a new session (no fixation). */
export const sessionRoutes: Route[] = [
  publicRoute({
    method: 'POST',
    url: '/api/session',
    summary: 'Sign in with email, password and TOTP code; sets the session cookie',
    tag: 'session',
    access: 'public',
    body: Login,
    response: Type.Composite([SessionBody, Type.Object({ expiresAt: Type.String() })]),
    example: { body: { email: 'nobody@example.com', password: 'wrong-password', code: '000000' } },
    async handler({ app, body, request, reply }) {
      const session = await app.access.login({
        ...body,
        ip: request.ip,
        previousSession: sessionCookieOf(request),
      });
      setSessionCookie(reply, session.sessionId);
      return { user: session.user, csrfToken: session.csrfToken, expiresAt: session.expiresAt };
    },
  }),
  route({
    method: 'GET',
    url: '/api/session',
    summary: 'The signed-in user and the CSRF token of the session (null for API tokens)',
    tag: 'session',
    access: 'viewer',
    response: SessionBody,
    handler: ({ request }) =>
      Promise.resolve({ user: request.session.user, csrfToken: request.session.csrfToken }),
  }),
  route({
    method: 'DELETE',
    url: '/api/session',
    summary: 'Sign out: the session is deleted on the server',
    tag: 'session',
    access: 'viewer',
    response: Type.Object({ ok: Type.Boolean() }),
    async handler({ app, request, reply, caller }) {
      if (request.session.sessionHash !== null) await app.access.logout(request.session.sessionHash, caller);
      clearSessionCookie(reply);
      return { ok: true };
    },
  }),
  publicRoute({
    method: 'GET',
    url: '/api/session/current',
    summary:
      'The signed-in user and CSRF token, or nulls when nobody is signed in (a 200 either way, so a dashboard opening signed out logs no error)',
    tag: 'session',
    access: 'public',
    response: Type.Object({
      user: Nullable(Type.Object({ email: Type.String(), role: Type.String() })),
      csrfToken: Nullable(Type.String()),
    }),
    async handler({ app, request }) {
      try {
        await authenticate(app, request, 'viewer');
      } catch (error) {
        if (isUserError(error) && error.kind === 'unauthorized') return { user: null, csrfToken: null };
        throw error;
      }
      return { user: request.session.user, csrfToken: request.session.csrfToken };
    },
  }),
];
