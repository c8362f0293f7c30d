import type { TSchema } from '@sinclair/typebox';
import { VERSION } from '../version.js';
import type { Route } from './route-spec.js';
import { ErrorBody } from './schemas.js';

const ERRORS: Record<string, string> = {
  '400': 'invalid input (the message says which)',
  '401': 'not signed in, or an unknown token',
  '403': 'role too low, or a missing X-CSRF-Token on a state change',
  '404': 'unknown incident or object',
  '409': 'conflicts with the current state',
  '429': 'rate limited',
};

/** The OpenAPI 3.1 document, from the same route table and schemas that validate requests. */
export function openApiDocument(routes: readonly Route[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of routes) {
    const path = spec.url.replace(/:(\w+)/g, '{$1}');
    const operation: Record<string, unknown> = {
      summary: spec.summary,
      tags: [spec.tag],
      operationId: `${spec.method.toLowerCase()}${path.replace(/[{}]/g, '').replace(/[/.-](\w)/g, (_, c: string) => c.toUpperCase())}`,
      'x-minimum-role': spec.access,
      security: spec.access === 'public' ? [] : [{ session: [], csrf: [] }, { token: [] }],
      parameters: [...parameters(spec.params, 'path'), ...parameters(spec.query, 'query')],
      responses: {
        '200': success(spec),
        ...Object.fromEntries(
          Object.entries(ERRORS).map(([code, description]) => [
            code,
            {
              description,
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
            },
          ]),
        ),
      },
    };
    if (spec.body) {
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: plain(spec.body) } },
      };
    }
    (paths[path] ??= {})[spec.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'breachdesk API',
      version: VERSION,
      description:
        'Sign in with POST /api/session (cookie session; send the returned csrfToken as X-CSRF-Token on every non-GET request) or use an API token as a Bearer token. x-minimum-role names the lowest role a route accepts.',
    },
    paths,
    components: {
      schemas: { Error: plain(ErrorBody) },
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'breachdesk_session' },
        csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' },
        token: { type: 'http', scheme: 'bearer', description: 'breachdesk token create' },
      },
    },
  };
}

function success(spec: Route): Record<string, unknown> {
  if (spec.produces === 'file') {
    return {
      description: 'a file download (Content-Disposition: attachment)',
      content: { 'text/csv': {}, 'application/json': {}, 'text/markdown': {} },
    };
  }
  const schema = spec.response ? plain(spec.response) : {};
  return { description: 'OK', content: { 'application/json': { schema } } };
}

function parameters(schema: TSchema | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const properties = (schema.properties ?? {}) as Record<string, TSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: plain(property),
  }));
}

/** The schema as JSON (TypeBox's symbol keys and $id dropped). */
function plain(schema: TSchema): Record<string, unknown> {
  const { $id: _id, ...rest } = JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
  return rest;
}
