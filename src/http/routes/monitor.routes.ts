import { Type } from '@sinclair/typebox';
import { route, type Route } from '../route-spec.js';
import { Nullable } from '../schemas.js';

/** The monitor feed: reported messages and bounces with their verdicts; never a body or a subject. */
export const monitorRoutes: Route[] = [
  route({
    method: 'GET',
    url: '/api/monitor/inbox',
    summary: 'Stored messages, newest first, with verdict, score and reasons (no body, no subject)',
    tag: 'monitor',
    access: 'responder',
    query: Type.Object({
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
      verdict: Type.Optional(
        Type.Union([Type.Literal('phishing'), Type.Literal('suspicious'), Type.Literal('clean')]),
      ),
    }),
    response: Type.Array(
      Type.Object({
        id: Type.String(),
        kind: Type.String(),
        receivedAt: Type.String(),
        duplicates: Type.Number(),
        fromDomain: Nullable(Type.String()),
        recipients: Type.Number(),
        verdict: Nullable(Type.String()),
        score: Nullable(Type.Number()),
        reasons: Type.Array(
          Type.Object({ code: Type.String(), sentence: Type.String(), weight: Type.Number() }),
        ),
        bounce: Nullable(Type.String()),
      }),
    ),
    handler: ({ app, query }) => app.inbound.inbox({ limit: query.limit, verdict: query.verdict }),
  }),
];
