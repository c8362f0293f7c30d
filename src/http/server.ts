import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { App } from '../app.js';
import { isUserError, type UserErrorKind } from '../core/errors.js';
import type { ExportFile } from '../services/export.service.js';
import { authenticate } from './authenticate.js';
import { dashboardMissingPage, PAGES_CSS } from './pages.js';
import type { SendSettings } from './request-session.js';
import type { Route } from './route-spec.js';
import { routeTable } from './route-table.js';
import { securityHeaders } from './security-headers.js';
import { registerVerifyPage } from './verify-page.js';

export interface ServerOptions {
  /** The app the server was started with; signed-in callers get `app.as(their name)`. */
  app: App;
  /** How a send pass started from the API reaches the mail server. */
  sending: SendSettings;
  /** The built dashboard; `/` says it is not built when the folder has no index.html. */
  webDist?: string;
  /** Behind a reverse proxy: take the client address and protocol from X-Forwarded-*. */
  trustProxy?: boolean;
  /** One line per request on standard error (method, route pattern, status, time; never a query). */
  log?: boolean;
}

const STATUS: Record<UserErrorKind, number> = {
  invalid: 400,
  'not-found': 404,
  conflict: 409,
  unauthorized: 401,
  forbidden: 403,
  'rate-limited': 429,
};

const BODY_LIMIT = 64 * 1024;

/** The Fastify server: JSON API from the route table, the public verify page, the dashboard. */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const { app } = options;
  const server = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT,
    trustProxy: options.trustProxy ?? false,
    // Hostile input never reaches a handler with prototype keys.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    routerOptions: { maxParamLength: 200 },
  });
  server.decorate('sending', options.sending);
  server.decorateRequest('caller', null);
  server.decorateRequest('session', null as never);
  server.removeContentTypeParser('text/plain');
  await server.register(fastifyCookie);
  server.addHook('onSend', async (request, reply) => securityHeaders(request, reply));
  if (options.log) {
    server.addHook('onResponse', async (request, reply) => {
      const pattern = request.routeOptions.url ?? '(no route)';
      process.stderr.write(
        `${request.method} ${pattern} ${reply.statusCode} ${reply.elapsedTime.toFixed(1)}ms\n`,
      );
    });
  }
  server.setErrorHandler(errorReply);
  const actorApps = new Map<string, Promise<App>>();
  const appFor = (actor: string) => {
    let found = actorApps.get(actor);
    if (!found) actorApps.set(actor, (found = app.as(actor)));
    return found;
  };
  server.addHook('onClose', async () => {
    await app.delivery.idle();
    for (const pending of actorApps.values()) await (await pending).delivery.idle();
  });

  for (const spec of routeTable) registerRoute(server, app, appFor, spec);
  registerVerifyPage(server, app);
  server.get('/pages.css', (_request, reply) => reply.type('text/css; charset=utf-8').send(PAGES_CSS));
  await registerDashboard(
    server,
    options.webDist ?? fileURLToPath(new URL('../../web/dist', import.meta.url)),
  );
  return server;
}

function registerRoute(
  server: FastifyInstance,
  app: App,
  appFor: (actor: string) => Promise<App>,
  spec: Route,
): void {
  server.route({
    method: spec.method,
    url: spec.url,
    schema: {
      ...(spec.params ? { params: spec.params } : {}),
      ...(spec.query ? { querystring: spec.query } : {}),
      ...(spec.body ? { body: spec.body } : {}),
      ...(spec.response ? { response: { 200: spec.response } } : {}),
    },
    // Before the body is read: an unauthenticated caller learns nothing from validation errors.
    onRequest: async (request) => {
      if (spec.access !== 'public') await authenticate(app, request, spec.access);
      if (spec.limit === 'verify') await app.access.admitVerify(request.ip);
    },
    handler: async (request, reply) => {
      const caller = request.caller;
      const context = {
        params: request.params,
        query: request.query,
        body: request.body,
        app: caller ? await appFor(caller.actor) : app,
        request,
        reply,
      };
      const result =
        spec.access === 'public'
          ? await spec.handler(context)
          : await spec.handler({ ...context, caller: caller! });
      return spec.produces === 'file' ? sendFile(reply, result as ExportFile) : result;
    },
  });
}

function sendFile(reply: FastifyReply, file: ExportFile): FastifyReply {
  const name = file.fileName.replace(/[^A-Za-z0-9._-]/g, '_');
  return reply
    .type(file.contentType)
    .header('content-disposition', `attachment; filename="${name}"`)
    .send(Readable.from(file.lines));
}

/** `{error}` with the message for what the caller can fix; never a stack trace. */
function errorReply(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (isUserError(error)) return reply.status(STATUS[error.kind]).send({ error: error.message });
  const status = error.statusCode ?? 500;
  if (status < 500) return reply.status(status).send({ error: error.message });
  process.stderr.write(
    `breachdesk serve: internal error on ${request.method} ${request.routeOptions.url ?? ''}: ${error.message}\n`,
  );
  if (process.env.BREACHDESK_DEBUG) console.error(error);
  return reply.status(500).send({ error: 'internal error' });
}

async function registerDashboard(server: FastifyInstance, webDist: string): Promise<void> {
  const built = existsSync(join(webDist, 'index.html'));
  if (built) {
    await server.register(fastifyStatic, {
      root: webDist,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
    });
  } else {
    server.get('/', (_request, reply) => reply.type('text/html; charset=utf-8').send(dashboardMissingPage()));
  }
  server.setNotFoundHandler((request, reply) => {
    const wantsPage = request.method === 'GET' && !request.url.startsWith('/api/') && built;
    // The dashboard routes in the browser: an unknown path that is no file gets its index.html.
    if (wantsPage) return reply.header('cache-control', 'no-cache').sendFile('index.html');
    return reply.status(404).send({ error: 'no such route' });
  });
}
