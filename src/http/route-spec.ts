import type { Static, TSchema } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import type { Caller, Role } from '../services/caller.js';

/** Who may call a route: anyone, or a signed-in caller with at least this role. */
export type Access = Role | 'public';

/** What a handler gets: validated input, the services bound to the caller, and the request. */
export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  app: App;
  request: FastifyRequest;
  reply: FastifyReply;
}

interface SpecBase<P extends TSchema, Q extends TSchema, B extends TSchema> {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  summary: string;
  tag: string;
  params?: P;
  query?: Q;
  body?: B;
  /** The 200 response; also what the JSON is serialized through, so undeclared fields never leave. */
  response?: TSchema;
  /** `file`: the handler returns an ExportFile, streamed as an attachment. */
  produces?: 'json' | 'file';
  /** A per-client rate limit shared by every replica (see AccessService). */
  limit?: 'verify';
}

export interface PublicRouteSpec<P extends TSchema, Q extends TSchema, B extends TSchema> extends SpecBase<
  P,
  Q,
  B
> {
  access: 'public';
  handler(ctx: RouteContext<Static<P>, Static<Q>, Static<B>>): Promise<unknown>;
}

export interface CallerRouteSpec<P extends TSchema, Q extends TSchema, B extends TSchema> extends SpecBase<
  P,
  Q,
  B
> {
  access: Role;
  handler(ctx: RouteContext<Static<P>, Static<Q>, Static<B>> & { caller: Caller }): Promise<unknown>;
}

/** One entry of the route table, its input types erased. */
export type Route = (
  PublicRouteSpec<TSchema, TSchema, TSchema> | CallerRouteSpec<TSchema, TSchema, TSchema>
) & {
  /** Example input that passes validation, for generated tests (the authorization matrix). */
  example?: { params?: Record<string, string>; query?: Record<string, string>; body?: unknown };
};

/** Declares a route that needs a signed-in caller, with handler types inferred from the schemas. */
export function route<P extends TSchema, Q extends TSchema, B extends TSchema>(
  spec: CallerRouteSpec<P, Q, B> & Pick<Route, 'example'>,
): Route {
  return spec;
}

export function publicRoute<P extends TSchema, Q extends TSchema, B extends TSchema>(
  spec: PublicRouteSpec<P, Q, B> & Pick<Route, 'example'>,
): Route {
  return spec;
}
