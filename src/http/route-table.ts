import { adminRoutes } from './routes/admin.routes.js';
import { exportRoutes } from './routes/export.routes.js';
import { incidentRoutes } from './routes/incident.routes.js';
import { noticeRoutes } from './routes/notice.routes.js';
import { monitorRoutes } from './routes/monitor.routes.js';
import { publicRoutes } from './routes/public.routes.js';
import { recordRoutes } from './routes/record.routes.js';
import { sessionRoutes } from './routes/session.routes.js';
import { vendorRoutes } from './routes/vendor.routes.js';
import { openApiDocument } from './openapi.js';
import { publicRoute, type Route } from './route-spec.js';

/**
 * Every API route. The server registers these, the OpenAPI document describes them and the
 * authorization matrix test calls each with every role: a new area appends its list here
 * (timeline and decisions, obligations, monitor, vendor reviews each in `routes/<area>.routes.ts`).
 */
const areas: Route[] = [
  ...publicRoutes,
  ...sessionRoutes,
  ...incidentRoutes,
  ...noticeRoutes,
  ...exportRoutes,
  ...adminRoutes,
  ...recordRoutes,
  ...vendorRoutes,
  ...monitorRoutes,
];

const document = openApiDocument([...areas]);

export const routeTable: readonly Route[] = [
  ...areas,
  publicRoute({
    method: 'GET',
    url: '/api/openapi.json',
    summary: 'This API, described as OpenAPI 3.1',
    tag: 'public',
    access: 'public',
    handler: () => Promise.resolve(document),
  }),
];
