import { Type } from '@sinclair/typebox';
import { route, type Route } from '../route-spec.js';
import { Email, Nullable } from '../schemas.js';

/** Users and API tokens; creating them is the command line's job (it prints secrets once). */
export const adminRoutes: Route[] = [
  route({
    method: 'GET',
    url: '/api/users',
    summary: 'Users and their roles',
    tag: 'admin',
    access: 'admin',
    response: Type.Array(
      Type.Object({
        email: Type.String(),
        role: Type.String(),
        createdAt: Type.String(),
        disabled: Type.Boolean(),
      }),
    ),
    handler: ({ app }) => app.access.listUsers(),
  }),
  route({
    method: 'POST',
    url: '/api/users/disable',
    summary: 'Disable a user: their sessions end and their tokens stop working',
    tag: 'admin',
    access: 'admin',
    body: Type.Object({ email: Email }),
    response: Type.Object({ ok: Type.Boolean() }),
    example: { body: { email: 'nobody@example.com' } },
    handler: ({ app, body }) => app.access.disableUser(body.email).then(() => ({ ok: true })),
  }),
  route({
    method: 'GET',
    url: '/api/tokens',
    summary: 'API tokens (never the token itself) and when each was last used',
    tag: 'admin',
    access: 'admin',
    response: Type.Array(
      Type.Object({
        id: Type.String(),
        name: Type.String(),
        email: Type.String(),
        createdAt: Type.String(),
        lastUsedAt: Nullable(Type.String()),
      }),
    ),
    handler: ({ app }) => app.access.listTokens(),
  }),
];
