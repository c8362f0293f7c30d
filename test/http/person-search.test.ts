import { describe, expect, it } from 'vitest';
import type { PersonFound } from '../../src/services/impact.service.js';
import { testDialects } from '../support/databases.js';
import { ACCOUNTS, createHttpTestApp, type HttpTestApp, type SignedIn } from './http-test-app.js';

interface Found {
  people: PersonFound[];
}

async function search(t: HttpTestApp, who: SignedIn, body: unknown, incidentId = t.incidentId) {
  return t.call(who, { method: 'POST', url: `/api/incidents/${incidentId}/people/search`, body });
}

describe.each(testDialects())('person search (%s)', (dialect) => {
  it('finds a matched person by account id or address with their organization and notice', async () => {
    const t = await createHttpTestApp(dialect);
    const responder = await t.login('responder');
    const byId = await search(t, responder, { accountId: 'u2' });
    expect(byId.statusCode).toBe(200);
    const [person] = byId.json<Found>().people;
    expect(person).toMatchObject({
      kind: 'matched',
      accountId: 'u2',
      address: 'member@acme.test',
      organizations: ['org-1'],
      notice: { status: 'queued', sentAt: null },
    });
    expect(person!.notice!.referenceCode).toMatch(/\S/);
    const byAddress = await search(t, responder, { address: ' Member@ACME.test ' });
    expect(byAddress.json<Found>().people).toEqual([person]);
  });

  it('lists every organization of a person once, in order, as one person', async () => {
    const t = await createHttpTestApp(dialect);
    await t.app.directory.import({
      accounts: t.app.write('accounts-2.csv', ACCOUNTS),
      organizations: t.app.write('orgs-2.csv', 'id,name\norg-2,Beta\norg-1,"+Acme"\norg-3,Gamma\n'),
      memberships: t.app.write(
        'm-2.csv',
        'org_id,account_id,role\norg-3,u2,member\norg-1,u2,member\norg-2,u2,admin\n',
      ),
    });
    await t.app.impact.analyze(t.incidentId);
    const responder = await t.login('responder');
    const { people } = (await search(t, responder, { accountId: 'u2' })).json<Found>();
    expect(people).toHaveLength(1);
    expect(people[0]).toMatchObject({
      organizations: ['org-1', 'org-2', 'org-3'],
      notice: { status: 'queued' },
    });
  });

  it('finds nobody as an empty list, and an unknown incident as 404', async () => {
    const t = await createHttpTestApp(dialect);
    const responder = await t.login('responder');
    const nobody = await search(t, responder, { address: 'nobody@acme.test' });
    expect(nobody.statusCode).toBe(200);
    expect(nobody.json<Found>().people).toEqual([]);
    expect((await search(t, responder, { accountId: 'no-such-account' })).json<Found>().people).toEqual([]);
    const unknown = await search(t, responder, { accountId: 'u2' }, 'inc_unknown');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: 'unknown incident inc_unknown' });
  });

  it('gives a viewer the person and notice status without address or reference code', async () => {
    const t = await createHttpTestApp(dialect);
    const viewer = await t.login('viewer');
    const [person] = (await search(t, viewer, { accountId: 'u2' })).json<Found>().people;
    expect(person).toMatchObject({
      accountId: 'u2',
      address: null,
      organizations: ['org-1'],
      notice: { status: 'queued', referenceCode: null },
    });
  });
});
