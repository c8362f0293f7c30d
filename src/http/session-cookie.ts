import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ACCESS_LIMITS } from '../services/access.service.js';

export const SESSION_COOKIE = 'breachdesk_session';

/** HttpOnly and SameSite=Strict always; Secure whenever the request came over HTTPS. */
export function setSessionCookie(reply: FastifyReply, sessionId: string): void {
  reply.setCookie(SESSION_COOKIE, sessionId, {
    httpOnly: true,
    sameSite: 'strict',
    secure: reply.request.protocol === 'https',
    path: '/',
    maxAge: ACCESS_LIMITS.sessionMaxMs / 1000,
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict' });
}

export function sessionCookieOf(request: FastifyRequest): string | undefined {
  const value = request.cookies[SESSION_COOKIE];
  return value === undefined || value.length === 0 || value.length > 200 ? undefined : value;
}
