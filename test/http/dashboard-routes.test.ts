import { describe, expect, it } from 'vitest';
import { testDialects } from '../support/databases.js';
import { createHttpTestApp } from './http-test-app.js';

describe.each(testDialects())('the routes the dashboard reads on %s', (dialect) => {
  it('gives chart counts, the timeline and decisions as of the last matching', async () => {
    const t = await createHttpTestApp(dialect);
    await t.app.incidents.decide(t.incidentId, {
      decision: 'Notify everyone',
      reason: 'Names and emails left',
    });
    const viewer = await t.login('viewer');
    const get = async (path: string) =>
      (await t.call(viewer, { method: 'GET', url: `/api/incidents/${t.incidentId}${path}` })).json<unknown>();
    expect(await get('/breakdown')).toEqual({
      peopleByCountry: [{ country: null, people: 3 }],
      organizationSizes: [{ members: 1, organizations: 1 }],
      largestOrganizations: [{ name: '+Acme', impactedMembers: 1 }],
    });
    const timeline = (await get('/timeline')) as { type: string; detail?: unknown }[];
    expect(timeline.map((event) => event.type)).toEqual(
      expect.arrayContaining(['incident_opened', 'dataset_received']),
    );
    expect(timeline.every((event) => event.detail === undefined)).toBe(true);
    expect(await get('/decisions')).toMatchObject([
      { decision: 'Notify everyone', reason: 'Names and emails left', decidedBy: 'tester' },
    ]);
  });

  it('shows the vendor inventory to viewers and the monitor feed only from responders up', async () => {
    const t = await createHttpTestApp(dialect);
    const [viewer, responder] = [await t.login('viewer'), await t.login('responder')];
    const exposure = (await t.call(viewer, { method: 'GET', url: '/api/vendors/exposure' })).json<
      { vendor: { name: string }; people: number; risk: { tier: string } }[]
    >();
    expect(exposure).toMatchObject([{ vendor: { name: 'Mixpanel' }, people: 3 }]);
    const reviews = (await t.call(viewer, { method: 'GET', url: '/api/vendors/reviews' })).json<
      { vendor: { name: string }; lastReview: unknown }[]
    >();
    expect(reviews).toMatchObject([{ vendor: { name: 'Mixpanel' }, lastReview: null }]);
    expect((await t.call(viewer, { method: 'GET', url: '/api/monitor/inbox' })).statusCode).toBe(403);
    const inbox = await t.call(responder, { method: 'GET', url: '/api/monitor/inbox?verdict=phishing' });
    expect([inbox.statusCode, inbox.json()]).toEqual([200, []]);
  });

  it('answers who is signed in with 200 either way', async () => {
    const t = await createHttpTestApp(dialect);
    const nobody = await t.call(null, { method: 'GET', url: '/api/session/current' });
    expect([nobody.statusCode, nobody.json()]).toEqual([200, { user: null, csrfToken: null }]);
    const admin = await t.login('admin');
    const signedIn = await t.call(admin, { method: 'GET', url: '/api/session/current' });
    expect(signedIn.json()).toEqual({
      user: { email: 'admin@breachdesk.test', role: 'admin' },
      csrfToken: admin.csrf,
    });
  });
});
