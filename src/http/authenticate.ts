import type { FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import { UserError } from '../core/errors.js';
import { sameSecret } from '../services/access.service.js';
import { hasRole, type Role } from '../services/caller.js';
import { sessionCookieOf } from './session-cookie.js';

const BEARER = /^Bearer ([A-Za-z0-9_-]{10,200})$/;

/**
 * Finds the caller (an API token, else the session cookie), then refuses a state change from a
 * session without its CSRF token, then a role below the route's. 401, 403, 403 in that order.
 */
export async function authenticate(app: App, request: FastifyRequest, minimum: Role): Promise<void> {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const token = BEARER.exec(authorization)?.[1];
    const caller = token === undefined ? null : await app.access.tokenCaller(token);
    if (!caller) throw new UserError('the API token is unknown or revoked', {}, 'unauthorized');
    request.caller = caller;
    request.session = {
      user: { email: caller.actor, role: caller.role },
      csrfToken: null,
      sessionHash: null,
    };
  } else {
    const sessionId = sessionCookieOf(request);
    const session = sessionId === undefined ? null : await app.access.sessionCaller(sessionId);
    if (!session) throw new UserError('sign in first', {}, 'unauthorized');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !sameSecret(sent, session.csrfToken)) {
        throw new UserError('missing or wrong X-CSRF-Token header', {}, 'forbidden');
      }
    }
    request.caller = { actor: session.actor, role: session.role };
    request.session = {
      user: { email: session.actor, role: session.role },
      csrfToken: session.csrfToken,
      sessionHash: session.sessionHash,
    };
  }
  if (!hasRole(request.caller, minimum)) {
    throw new UserError(`this needs the ${minimum} role`, {}, 'forbidden');
  }
}
