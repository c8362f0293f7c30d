import { describe, expect, it } from 'vitest';
import { routeTable } from '../../src/http/route-table.js';
import type { Route } from '../../src/http/route-spec.js';
import { hasRole, ROLES, type Role } from '../../src/services/caller.js';
import { testDialects } from '../support/databases.js';
import { createHttpTestApp, FIXTURE_ADDRESSES, type HttpTestApp, type SignedIn } from './http-test-app.js';

type Who = Role | 'anonymous';
const EVERYONE: Who[] = ['anonymous', ...ROLES];

/** Where a route's example answers with something other than 200 for a caller who may call it. */
const EXPECTED: Record<string, number> = {
  'POST /api/session': 401,
  'POST /api/users/disable': 404,
};

function expectedStatus(spec: Route, who: Who): number {
  if (spec.access === 'public') return EXPECTED[`${spec.method} ${spec.url}`] ?? 200;
  if (who === 'anonymous') return 401;
  if (!hasRole({ actor: who, role: who }, spec.access)) return 403;
  return EXPECTED[`${spec.method} ${spec.url}`] ?? 200;
}

function requestFor(spec: Route, incidentId: string) {
  const example = spec.example ?? {};
  const url = spec.url.replace(/:(\w+)/g, (_, name: string) => example.params?.[name] ?? incidentId);
  const query = new URLSearchParams(example.query ?? {}).toString();
  return { method: spec.method, url: query ? `${url}?${query}` : url, body: example.body };
}

/** Signing in (which ends the session the browser sent) and out end a session: those get a fresh one. */
const endsSession = (spec: Route) => spec.url === '/api/session' && spec.method !== 'GET';

async function sessions(t: HttpTestApp): Promise<Record<Who, SignedIn | null>> {
  return {
    anonymous: null,
    viewer: await t.login('viewer'),
    responder: await t.login('responder'),
    admin: await t.login('admin'),
  };
}

describe.each(testDialects())('the authorization matrix on %s', (dialect) => {
  it('answers every route for every role as the route table says', async () => {
    const t = await createHttpTestApp(dialect);
    const who = await sessions(t);
    const mismatches: string[] = [];
    for (const spec of routeTable) {
      for (const caller of EVERYONE) {
        const session = endsSession(spec) && caller !== 'anonymous' ? await t.login(caller) : who[caller];
        const response = await t.call(session, requestFor(spec, t.incidentId));
        const expected = expectedStatus(spec, caller);
        if (response.statusCode !== expected) {
          mismatches.push(
            `${spec.method} ${spec.url} as ${caller}: ${response.statusCode}, expected ${expected} (${response.body.slice(0, 120)})`,
          );
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(routeTable.length).toBeGreaterThanOrEqual(20);
  });

  it('never gives a viewer an address, on any route a viewer may call', async () => {
    const t = await createHttpTestApp(dialect);
    const viewer = await t.login('viewer');
    await t.app.impact.analyze(t.incidentId);
    const searches = [{ accountId: 'u1' }, { accountId: 'u2' }, { address: 'outsider@else.test' }];
    const bodies: string[] = [];
    for (const spec of routeTable.filter((route) => route.access === 'viewer')) {
      if (spec.method === 'DELETE') continue;
      const request = requestFor(spec, t.incidentId);
      const variants = spec.url.endsWith('/people/search')
        ? searches.map((body) => ({ ...request, body }))
        : [request];
      for (const variant of variants) {
        const response = await t.call(viewer, variant);
        expect(response.statusCode, `${spec.method} ${spec.url}`).toBe(200);
        bodies.push(`${spec.url}: ${response.body}`);
      }
    }
    const leaked = bodies.filter((body) => FIXTURE_ADDRESSES.some((address) => body.includes(address)));
    expect(leaked).toEqual([]);
    // The same searches as a responder do find the addresses: the viewer's emptiness is redaction.
    const responder = await t.login('responder');
    const found = await t.call(responder, {
      method: 'POST',
      url: `/api/incidents/${t.incidentId}/people/search`,
      body: { address: 'OUTSIDER@else.test' },
    });
    expect(found.json()).toMatchObject({
      people: [
        {
          kind: 'unmatched_contactable',
          address: 'outsider@else.test',
          categories: ['email', 'device', 'identifier'].sort(),
        },
      ],
    });
  });
});
