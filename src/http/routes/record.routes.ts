import { Type } from '@sinclair/typebox';
import { route, type Route } from '../route-spec.js';
import { IncidentParams, Nullable } from '../schemas.js';

const count = Type.Number();

/** What happened and who decided what: the incident's record, and the counts behind its charts. */
export const recordRoutes: Route[] = [
  route({
    method: 'GET',
    url: '/api/incidents/:id/timeline',
    summary: 'The timeline: what happened when, from where, who recorded it (no event detail)',
    tag: 'record',
    access: 'viewer',
    params: IncidentParams,
    response: Type.Array(
      Type.Object({
        id: count,
        type: Type.String(),
        occurredAt: Type.String(),
        recordedAt: Type.String(),
        source: Type.String(),
        note: Nullable(Type.String()),
        recordedBy: Type.String(),
      }),
    ),
    handler: ({ app, params }) => app.incidents.timeline(params.id),
  }),
  route({
    method: 'GET',
    url: '/api/incidents/:id/decisions',
    summary: 'Decisions: who decided what, when, and why',
    tag: 'record',
    access: 'viewer',
    params: IncidentParams,
    response: Type.Array(
      Type.Object({
        id: count,
        decidedAt: Type.String(),
        decidedBy: Type.String(),
        decision: Type.String(),
        reason: Type.String(),
        recordedAt: Type.String(),
        recordedBy: Type.String(),
      }),
    ),
    handler: ({ app, params }) => app.incidents.decisions(params.id),
  }),
  route({
    method: 'GET',
    url: '/api/incidents/:id/breakdown',
    summary:
      'For charts, as of the last matching: people by country, organizations by impacted members, the largest organizations',
    tag: 'impact',
    access: 'viewer',
    params: IncidentParams,
    response: Type.Object({
      peopleByCountry: Type.Array(Type.Object({ country: Nullable(Type.String()), people: count })),
      organizationSizes: Type.Array(Type.Object({ members: count, organizations: count })),
      largestOrganizations: Type.Array(Type.Object({ name: Type.String(), impactedMembers: count })),
    }),
    handler: ({ app, params }) => app.impact.breakdown(params.id),
  }),
  route({
    method: 'POST',
    url: '/api/incidents/:id/obligations',
    summary:
      'Assess who must be told what by when, per jurisdiction, with the cautious default facts (rematches; audited)',
    tag: 'record',
    access: 'responder',
    params: IncidentParams,
    handler: ({ app, params }) => app.obligations.assess(params.id),
  }),
];
