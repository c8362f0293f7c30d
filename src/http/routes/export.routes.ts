import { Type } from '@sinclair/typebox';
import { route, type Route } from '../route-spec.js';
import { AuditEntry, ExportQuery, IncidentParams } from '../schemas.js';

/** Exports (each an audit entry) and the audit trail itself. */
export const exportRoutes: Route[] = [
  route({
    method: 'GET',
    url: '/api/incidents/:id/exports/people',
    summary: 'Every impacted person as CSV or JSON (no addresses for viewers)',
    tag: 'exports',
    access: 'viewer',
    params: IncidentParams,
    query: ExportQuery,
    produces: 'file',
    example: { query: { format: 'csv' } },
    handler: ({ app, params, query, caller }) => app.exports.people(params.id, query.format, caller),
  }),
  route({
    method: 'GET',
    url: '/api/incidents/:id/exports/notices',
    summary: 'Every notice with its status as CSV or JSON (no recipients for viewers)',
    tag: 'exports',
    access: 'viewer',
    params: IncidentParams,
    query: ExportQuery,
    produces: 'file',
    example: { query: { format: 'json' } },
    handler: ({ app, params, query, caller }) => app.exports.notices(params.id, query.format, caller),
  }),
  route({
    method: 'GET',
    url: '/api/incidents/:id/exports/report',
    summary: 'The incident report as Markdown or JSON',
    tag: 'exports',
    access: 'viewer',
    params: IncidentParams,
    query: Type.Object({ format: Type.Union([Type.Literal('md'), Type.Literal('json')]) }),
    produces: 'file',
    example: { query: { format: 'md' } },
    handler: ({ app, params, query, caller }) => app.reports.file(params.id, query.format, caller),
  }),
  route({
    method: 'GET',
    url: '/api/incidents/:id/audit',
    summary: "The incident's audit trail, newest first",
    tag: 'audit',
    access: 'viewer',
    params: IncidentParams,
    query: Type.Object({
      before: Type.Optional(Type.Integer({ minimum: 1 })),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    }),
    response: Type.Array(AuditEntry),
    handler: ({ app, params, query }) => app.audit.recent({ ...query, incidentId: params.id }),
  }),
  route({
    method: 'GET',
    url: '/api/audit',
    summary: 'The whole audit trail (logins, users, tokens, every incident), newest first',
    tag: 'audit',
    access: 'admin',
    query: Type.Object({
      before: Type.Optional(Type.Integer({ minimum: 1 })),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    }),
    response: Type.Array(AuditEntry),
    handler: ({ app, query }) => app.audit.recent(query),
  }),
];
