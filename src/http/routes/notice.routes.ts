import { Type } from '@sinclair/typebox';
import { route, type Route } from '../route-spec.js';
import { IncidentParams, NoticeStatusBody } from '../schemas.js';

/** The notice plan: status, approval, sending. */
export const noticeRoutes: Route[] = [
  route({
    method: 'GET',
    url: '/api/incidents/:id/notices',
    summary:
      'Notices by status and the first problems (recipients withheld from viewers); poll it while sending',
    tag: 'notices',
    access: 'viewer',
    params: IncidentParams,
    response: NoticeStatusBody,
    handler: ({ app, params, caller }) => app.notices.status(params.id, caller),
  }),
  route({
    method: 'POST',
    url: '/api/incidents/:id/notices/approve',
    summary: 'Approve every planned notice not yet approved; the signed-in admin is the approver',
    tag: 'notices',
    access: 'admin',
    params: IncidentParams,
    response: Type.Object({ approved: Type.Number(), digest: Type.String() }),
    handler: ({ app, params, caller }) => app.notices.approve(params.id, caller.actor),
  }),
  route({
    method: 'POST',
    url: '/api/incidents/:id/notices/send',
    summary: 'Start a send pass in the background and return; progress shows in the notice status',
    tag: 'notices',
    access: 'responder',
    params: IncidentParams,
    response: Type.Object({ started: Type.Boolean() }),
    handler: ({ app, params, request }) => app.delivery.start(params.id, request.server.sending),
  }),
];
