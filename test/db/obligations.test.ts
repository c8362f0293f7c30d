import { describe, expect, it } from 'vitest';
import { testDialects } from '../support/databases.js';
import { createTestApp, profiles, type TestApp } from '../support/test-app.js';

const CANONICAL = 'identifier,name,email,location,device,referrer';
const ACCOUNTS = `id,email,name,status,country,state
u-dir,dir@example.com,Dora,active,Canada,Ontario
`;

function person(
  id: string,
  country: string | null,
  region: string | null,
  extra: Record<string, unknown> = {},
) {
  return {
    $distinct_id: id,
    $properties: {
      $email: `${id}@example.com`,
      $name: `Person ${id}`,
      $city: 'Somewhere',
      ...(country === null ? {} : { $country_code: country }),
      ...(region === null ? {} : { $region: region }),
      $browser: 'Firefox',
      $initial_referrer: 'https://news.example/',
      ...extra,
    },
  };
}

/** The canonical case: US (California, New York, Texas), Germany, France, UK, Japan, Brazil, Canada, Australia, and one nowhere. */
const CANONICAL_PEOPLE = [
  person('ca1', 'US', 'California'),
  person('ca2', 'US', 'CA'),
  person('ny1', 'US', 'New York'),
  person('tx1', 'US', 'Texas'),
  person('de1', 'DE', 'Bavaria'),
  person('fr1', 'FR', null),
  person('gb1', 'GB', 'England'),
  person('jp1', 'JP', 'Tokyo'),
  person('br1', 'BR', 'SP'),
  person('au1', 'AU', 'NSW'),
  person('nowhere', null, null),
  { $distinct_id: 'u-dir', $properties: { $name: 'Dora', $browser: 'Safari' } },
];

async function openIncident(app: TestApp, awareAt: string, rows: unknown[], map?: string) {
  await app.directory.import({ accounts: app.write('accounts.csv', ACCOUNTS) });
  await app.vendors.add({ name: 'Mixpanel', categories: CANONICAL });
  const incident = await app.incidents.open({
    vendor: 'Mixpanel',
    title: 'Analytics export',
    exposed: CANONICAL,
    notExposed: 'credentials,payment',
    awareAt,
  });
  await app.datasets.import({
    incidentId: incident.id,
    path: app.write('people.ndjson', profiles(...(rows as Record<string, unknown>[]))),
    format: 'auto',
    map,
  });
  return incident.id;
}

const byJurisdiction = <T extends { jurisdiction: string }>(rows: T[]) =>
  Object.fromEntries(rows.map((row) => [row.jurisdiction, row])) as Record<string, T>;

describe.each(testDialects())('obligations on %s', (dialect) => {
  it('gives the reference outcomes for the canonical case, with the GDPR 72 hours counted from awareness', async () => {
    const app = await createTestApp(dialect);
    const id = await openIncident(app, '2026-11-19T00:00:00Z', CANONICAL_PEOPLE);
    const report = await app.obligations.assess(id, { timeZone: 'Europe/Berlin' });
    expect(report.disclaimer).toBe('Decision support, not legal advice.');
    expect(report.ruleVersion).toBe('2026-01-01');
    const o = byJurisdiction(report.obligations);
    expect(Object.fromEntries(report.obligations.map((row) => [row.jurisdiction, row.status]))).toEqual({
      EU: 'required',
      UK: 'required',
      'US-CA': 'not_required',
      'US-NY': 'not_required',
      'US-TX': 'not_required',
      CA: 'required',
      AU: 'not_required',
      BR: 'judgement_call',
      JP: 'required',
    });
    expect(o.EU).toMatchObject({ residents: 2, affected: 2 });
    expect(o.EU!.deadline).toMatchObject({
      at: '2026-11-22T00:00:00.000Z',
      local: '2026-11-22T01:00:00+01:00',
    });
    // The test clock reads 2026-11-20T09:00Z.
    expect(o.EU!.countdown).toBe('due in 39 h');
    expect(o.EU!.notifications.find((n) => n.recipient === 'individuals')?.status).toBe('judgement_call');
    expect(o.UK!.deadline?.local).toBe('2026-11-22T00:00:00+00:00');
    expect(o['US-CA']).toMatchObject({ residents: 2, affected: 0 });
    expect(o['US-CA']!.reasons[0]).toContain('is not personal information under this law');
    // Canada: the directory placed Dora in Ontario; PIPEDA's record of every breach is the duty.
    expect(o.CA!.residents).toBe(1);
    expect(o.CA!.notifications.map((n) => [n.recipient, n.status])).toEqual([
      ['authority', 'not_required'],
      ['record', 'required'],
    ]);
    expect(o.JP!.deadline?.local).toBe('2026-11-22T23:59:59+09:00');
    expect(o.BR!.deadline?.local).toBe('2026-11-23T23:59:59-03:00');
    expect(report.people).toEqual({
      total: 12,
      covered: 11,
      unknownLocation: 1,
      usStateUnknown: 0,
      elsewhere: 0,
    });
    expect(report.warnings[0]).toContain('1 people have no known location');
    const audit = await app.store.db
      .selectFrom('audit_entry')
      .selectAll()
      .where('action', '=', 'obligations.assess')
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({
      ruleVersion: '2026-01-01',
      statuses: { EU: 'required' },
    });
    expect(audit[0]!.detail).not.toContain('example.com');
  });

  it('makes California and New York required when passwords leak with email addresses, counting only those people', async () => {
    const app = await createTestApp(dialect);
    const rows = [
      ...CANONICAL_PEOPLE,
      person('ca3', 'US', 'California', { password_hash: '$2b$10$abc' }),
      person('ny2', 'US', 'NY', { password_hash: '$2b$10$def' }),
    ];
    const id = await openIncident(app, '2026-11-19T00:00:00Z', rows, 'password_hash=credentials');
    const o = byJurisdiction((await app.obligations.assess(id)).obligations);
    expect(o['US-CA']).toMatchObject({ status: 'required', residents: 3, affected: 1 });
    // Aware 2026-11-18 16:00 in Los Angeles: 30 calendar days end 2026-12-18, Pacific time.
    expect(o['US-CA']!.deadline).toMatchObject({
      local: '2026-12-18T23:59:59-08:00',
      rule: 'within 30 calendar days of discovery',
    });
    expect(o['US-CA']!.countdown).toBe('due in 28 d 22 h');
    expect(o['US-NY']).toMatchObject({ status: 'required', affected: 1 });
    expect(o['US-TX']!.status).toBe('not_required');
    expect(o.EU!.notifications.find((n) => n.recipient === 'individuals')?.status).toBe('judgement_call');
    expect(o.BR!.status).toBe('judgement_call');
  });

  it('uses the rules in effect at awareness: before 2026 California has no fixed deadline', async () => {
    const app = await createTestApp(dialect);
    const rows = [person('ca3', 'US', 'California', { password_hash: 'x' })];
    const id = await openIncident(app, '2025-12-30T12:00:00Z', rows, 'password_hash=credentials');
    const report = await app.obligations.assess(id);
    expect(report.ruleVersion).toBe('2025-03-21');
    const california = byJurisdiction(report.obligations)['US-CA']!;
    expect(california.status).toBe('required');
    expect(california.deadline).toMatchObject({ at: null });
    expect(california.countdown).toBeNull();
  });

  it('counts deadlines in each law’s zone across a daylight-saving change and a weekend', async () => {
    const app = await createTestApp(dialect);
    const rows = [
      person('ca3', 'US', 'California', { password_hash: 'x' }),
      person('br1', 'BR', 'SP'),
      person('de1', 'DE', null),
    ];
    // Friday 2026-10-30 16:00 UTC: 09:00 in Los Angeles (still daylight time), 13:00 in São Paulo.
    const id = await openIncident(app, '2026-10-30T16:00:00Z', rows, 'password_hash=credentials');
    const o = byJurisdiction((await app.obligations.assess(id, { timeZone: 'Europe/Berlin' })).obligations);
    // 30 days later California is on standard time.
    expect(o['US-CA']!.deadline?.local).toBe('2026-11-29T23:59:59-08:00');
    // Three business days after a Friday: Monday, Tuesday, Wednesday.
    expect(o.BR!.deadline?.local).toBe('2026-11-04T23:59:59-03:00');
    expect(o.EU!.deadline?.local).toBe('2026-11-02T17:00:00+01:00');
  });

  it('counts down against the given time, overdue past the deadline', async () => {
    const app = await createTestApp(dialect);
    const id = await openIncident(app, '2026-11-19T00:00:00Z', CANONICAL_PEOPLE);
    const report = await app.obligations.assess(id, { at: '2026-11-22T03:00:00Z' });
    expect(report.now).toBe('2026-11-22T03:00:00.000Z');
    expect(byJurisdiction(report.obligations).EU!.countdown).toBe('overdue by 3 h');
  });

  it('puts the deadline clock in the incident report', async () => {
    const app = await createTestApp(dialect);
    const id = await openIncident(app, '2026-11-19T00:00:00Z', CANONICAL_PEOPLE);
    const markdown = (await app.reports.export(id, { format: 'md' })).content as string;
    expect(markdown).toContain('## Obligations and deadlines');
    expect(markdown).toContain('Decision support, not legal advice.');
    expect(markdown).toContain(
      '| European Union / EEA (GDPR) | required | 2 / 2 | 2026-11-22T00:00:00+00:00 | due in 39 h |',
    );
  });

  it('refuses a time zone Intl does not know, naming the flag', async () => {
    const app = await createTestApp(dialect);
    const id = await openIncident(app, '2026-11-19T00:00:00Z', CANONICAL_PEOPLE);
    await expect(app.obligations.assess(id, { timeZone: 'Mars/Olympus' })).rejects.toThrow(
      '--time-zone: "Mars/Olympus" is not an IANA time zone',
    );
  });
});
