import { Type } from '@sinclair/typebox';
import { route, type Route } from '../route-spec.js';
import { Email, IncidentParams, Incident, PersonFound, Summary } from '../schemas.js';

const PersonSearch = Type.Union([
  Type.Object({ address: Email }, { additionalProperties: false }),
  Type.Object({ accountId: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
]);

/** Vendors, incidents, their impact, datasets and people. */
export const incidentRoutes: Route[] = [
  route({
    method: 'GET',
    url: '/api/vendors',
    summary: 'Vendors and the data categories each receives',
    tag: 'vendors',
    access: 'viewer',
    handler: ({ app }) => app.vendors.list(),
  }),
  route({
    method: 'GET',
    url: '/api/incidents',
    summary: 'Incidents, newest first, with their vendor',
    tag: 'incidents',
    access: 'viewer',
    handler: ({ app }) => app.incidents.list(),
  }),
  route({
    method: 'GET',
    url: '/api/incidents/:id',
    summary: 'One incident: exposed and confirmed-not-exposed categories',
    tag: 'incidents',
    access: 'viewer',
    params: IncidentParams,
    response: Incident,
    handler: ({ app, params }) => app.incidents.get(params.id),
  }),
  route({
    method: 'GET',
    url: '/api/incidents/:id/summary',
    summary:
      'The counts of the last matching (computedAt says when), one row read; re-counted after a rematch',
    tag: 'impact',
    access: 'viewer',
    params: IncidentParams,
    response: Summary,
    handler: ({ app, params }) => app.impact.summary(params.id),
  }),
  route({
    method: 'POST',
    url: '/api/incidents/:id/analyze',
    summary: 'Re-run matching over every dataset and the directory; refreshes the summary',
    tag: 'impact',
    access: 'responder',
    params: IncidentParams,
    response: Type.Omit(Summary, ['computedAt']),
    handler: ({ app, params }) => app.impact.analyze(params.id),
  }),
  route({
    method: 'GET',
    url: '/api/incidents/:id/datasets',
    summary: "The incident's datasets with chain of custody and row counts",
    tag: 'datasets',
    access: 'viewer',
    params: IncidentParams,
    handler: ({ app, params }) => app.datasets.list(params.id),
  }),
  route({
    method: 'GET',
    url: '/api/incidents/:id/quarantine',
    summary: 'Quarantined rows: file, line, byte offset, reason, field (never the values)',
    tag: 'datasets',
    access: 'viewer',
    params: IncidentParams,
    query: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })) }),
    handler: ({ app, params, query }) => app.datasets.quarantine(params.id, query.limit),
  }),
  route({
    method: 'POST',
    url: '/api/incidents/:id/people/search',
    summary:
      'People at an address or with an account id, with exposure and notice status (a POST, so no address is ever in a URL or an access log); viewers get no address',
    tag: 'people',
    access: 'viewer',
    params: IncidentParams,
    body: PersonSearch,
    response: Type.Object({ people: Type.Array(PersonFound) }),
    example: { body: { accountId: 'u1' } },
    handler: async ({ app, params, body, caller }) => ({
      people: await app.impact.findPeople(params.id, body, caller),
    }),
  }),
];
