import { Type } from '@sinclair/typebox';
import { publicRoute, type Route } from '../route-spec.js';
import { Email, Nullable } from '../schemas.js';

export const VerifyRequest = Type.Object({
  referenceCode: Type.String({ minLength: 1, maxLength: 40 }),
  address: Email,
});

/** What anyone may call: health, the API description, and the check a notice's reader makes. */
export const publicRoutes: Route[] = [
  publicRoute({
    method: 'GET',
    url: '/api/health',
    summary: 'Liveness: the server answers and reaches its database',
    tag: 'public',
    access: 'public',
    response: Type.Object({ ok: Type.Boolean() }),
    handler: ({ app }) => app.access.countUsers().then(() => ({ ok: true })),
  }),
  publicRoute({
    method: 'POST',
    url: '/api/verify',
    summary:
      'Did this company send the notice with this reference code to this address? Rate-limited per client',
    tag: 'public',
    access: 'public',
    body: VerifyRequest,
    limit: 'verify',
    response: Type.Object({
      genuine: Type.Boolean(),
      sentAt: Nullable(Type.String()),
      company: Type.String(),
      officialDomains: Type.Array(Type.String()),
      contactEmail: Type.String(),
    }),
    example: { body: { referenceCode: 'AAAA-BBBB-CCCC', address: 'reader@example.com' } },
    handler: ({ app, body }) => app.notices.verifyForReader(body.referenceCode, body.address),
  }),
];
