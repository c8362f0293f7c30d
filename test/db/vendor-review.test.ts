import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDialects } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const DAY = 86_400_000;

/** Answers that meet every v1 requirement and miss v2 on exactly its three raised items. */
const PASSES_V1 = {
  answers: {
    assurance_report: 'soc2_type1',
    encryption_at_rest: true,
    encryption_in_transit: true,
    staff_sso: true,
    staff_mfa: 'admins',
    least_data: true,
    breach_notice_hours: 48,
    subprocessor_list: true,
    deletion_on_termination: 30,
    pentest_age_months: 6,
  },
  evidence: { assurance_report: 'https://trust.mixpanel.example/soc2-type1.pdf' },
  findings: [] as unknown[],
};

async function appWithVendor(dialect: Parameters<typeof createTestApp>[0]): Promise<TestApp> {
  const app = await createTestApp(dialect);
  await app.directory.import({
    accounts: app.write('a.csv', 'id,email,country\nu1,ann@acme.test,DE\nu2,ben@acme.test,FR\n'),
  });
  await app.vendors.add({ name: 'Mixpanel', categories: 'identifier,name,email,location' });
  return app;
}

describe.each(testDialects())('vendor reviews on %s', (dialect) => {
  it('records a review that passes v1, with its risk cadence and next due date', async () => {
    const app = await appWithVendor(dialect);
    const review = await app.vendorReviews.review({
      vendor: 'Mixpanel',
      catalogue: '1',
      answersFile: app.write('answers.json', JSON.stringify(PASSES_V1)),
      reviewer: 'Dana',
    });
    expect(review.evaluation).toMatchObject({ verdict: 'pass', met: 10, notMet: 0, unknown: 0 });
    expect(review.evaluation.results.filter((r) => r.outcome === 'not_applicable').map((r) => r.id)).toEqual([
      'pci_dss',
      'credential_hashing',
    ]);
    expect(review).toMatchObject({
      reviewer: 'Dana',
      risk: { tier: 'low', cadenceMonths: 24 },
      nextDue: '2028-11-20T09:00:00.000Z',
    });
    const entry = await app.store.db
      .selectFrom('audit_entry')
      .select('detail')
      .where('action', '=', 'vendor.review')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(entry.detail)).toMatchObject({
      verdict: 'pass',
      catalogue: 'breachdesk-default v1',
      notMet: 0,
    });
  });

  it('shows at once that a vendor passing v1 falls short of v2 on exactly the raised requirements', async () => {
    const app = await appWithVendor(dialect);
    await app.vendorReviews.review({
      vendor: 'Mixpanel',
      catalogue: 'v1',
      answersFile: app.write('answers.json', JSON.stringify(PASSES_V1)),
    });
    const [status, ...others] = await app.vendorReviews.reviews();
    expect(others).toEqual([]);
    expect(status!.overdue).toBe(false);
    expect(status!.lastReview).toMatchObject({ verdict: 'pass', catalogue: 'breachdesk-default v1' });
    expect(status!.newer!.catalogue).toBe('breachdesk-default v2');
    expect(status!.newer!.verdict).toBe('fail');
    expect(status!.newer!.nowFailing.map((r) => [r.id, r.reason])).toEqual([
      ['assurance_report', 'answered "soc2_type1", wanted one of soc2_type2, iso27001'],
      ['staff_mfa', 'answered "admins", wanted one of all_staff'],
      ['breach_notice_hours', 'answered 48, wanted at most 24 hours'],
    ]);
    expect(status!.problems).toEqual([
      'falls short of breachdesk-default v2: assurance_report, staff_mfa, breach_notice_hours',
    ]);
  });

  it('lists nobody once the vendor passes the newest catalogue, until the clock makes it overdue', async () => {
    const app = await appWithVendor(dialect);
    const answers = {
      ...PASSES_V1,
      answers: {
        ...PASSES_V1.answers,
        assurance_report: 'iso27001',
        staff_mfa: 'all_staff',
        breach_notice_hours: 24,
      },
    };
    await app.vendorReviews.review({
      vendor: 'Mixpanel',
      catalogue: '2',
      answersFile: app.write('a.json', JSON.stringify(answers)),
    });
    expect(await app.vendorReviews.reviews()).toEqual([]);
    app.clock.advance(732 * DAY);
    const [status] = await app.vendorReviews.reviews();
    expect(status!.overdue).toBe(true);
    expect(status!.problems).toEqual(['review overdue since 2028-11-20']);
  });

  it('lists a vendor never reviewed, a failing review and a finding past its due date', async () => {
    const app = await appWithVendor(dialect);
    await app.vendors.add({ name: 'Intercom', categories: 'name,email,content' });
    await app.vendors.add({ name: 'Old CRM', categories: 'name,email' });
    await app.vendors.setStatus({ name: 'Old CRM', status: 'terminated' });
    const failing = {
      answers: { ...PASSES_V1.answers, encryption_at_rest: false },
      evidence: PASSES_V1.evidence,
      findings: [
        {
          requirement: 'encryption_at_rest',
          severity: 'high',
          title: 'Backups unencrypted',
          due: '2026-12-01',
        },
      ],
    };
    await app.vendorReviews.review({
      vendor: 'Mixpanel',
      catalogue: '2',
      answersFile: app.write('f.json', JSON.stringify(failing)),
    });
    const before = await app.vendorReviews.reviews();
    expect(before.map((s) => [s.vendor.name, s.problems])).toEqual([
      ['Intercom', ['never reviewed']],
      ['Mixpanel', ['last review failed 4 requirement(s) of breachdesk-default v2']],
    ]);
    app.clock.advance(12 * DAY);
    const mixpanel = (await app.vendorReviews.reviews()).find((s) => s.vendor.name === 'Mixpanel')!;
    const [finding] = mixpanel.overdueFindings;
    expect(mixpanel.problems).toContain(
      `high finding ${finding!.id} "Backups unencrypted" overdue since 2026-12-01`,
    );
    const shown = await app.vendors.show('Mixpanel');
    expect(shown.reviews.map((r) => [r.catalogue, r.verdict, r.reviewer])).toEqual([
      ['breachdesk-default v2', 'fail', 'tester'],
    ]);
    expect(shown.openFindings.map((f) => [f.id, f.severity, f.requirement])).toEqual([
      [finding!.id, 'high', 'encryption_at_rest'],
    ]);
    await app.vendorReviews.closeFinding({ id: finding!.id, resolution: 'backups re-encrypted' });
    await expect(app.vendorReviews.closeFinding({ id: finding!.id })).rejects.toThrow(/already closed/);
    const after = (await app.vendorReviews.reviews()).find((s) => s.vendor.name === 'Mixpanel')!;
    expect(after.overdueFindings).toEqual([]);
    expect((await app.vendors.show('Mixpanel')).openFindings).toEqual([]);
    // Terminated vendors need no reviews, but --all shows every vendor.
    expect((await app.vendorReviews.reviews({ all: true })).map((s) => s.vendor.name)).toEqual([
      'Intercom',
      'Mixpanel',
      'Old CRM',
    ]);
  });

  it('judges the last review against a catalogue file the user raises further', async () => {
    const app = await appWithVendor(dialect);
    await app.vendorReviews.review({
      vendor: 'Mixpanel',
      catalogue: '1',
      answersFile: app.write('a.json', JSON.stringify(PASSES_V1)),
    });
    const v3 = JSON.parse(readFileSync('catalogues/requirements/v2.json', 'utf8')) as {
      version: number;
      requirements: { id: string; check: { limit?: number } }[];
    };
    v3.version = 3;
    v3.requirements.find((r) => r.id === 'pentest_age_months')!.check.limit = 3;
    const [status] = await app.vendorReviews.reviews({
      catalogueFile: app.write('v3.json', JSON.stringify(v3)),
    });
    expect(status!.newer!.catalogue).toBe('breachdesk-default v3');
    expect(status!.newer!.nowFailing.map((r) => r.id)).toEqual([
      'assurance_report',
      'staff_mfa',
      'breach_notice_hours',
      'pentest_age_months',
    ]);
  });

  it('refuses malformed answers and catalogue files naming file and field, and writes nothing', async () => {
    const app = await appWithVendor(dialect);
    const attempt = (catalogue: string, answers: unknown) =>
      app.vendorReviews.review({
        vendor: 'Mixpanel',
        catalogue,
        answersFile: app.write('bad.json', typeof answers === 'string' ? answers : JSON.stringify(answers)),
      });
    await expect(attempt('1', '{"answers": {')).rejects.toThrow(/answers .*bad\.json is not valid JSON/);
    await expect(attempt('1', { answers: { staff_mfaa: 'admins' } })).rejects.toThrow(
      /answers .*bad\.json: answers\.staff_mfaa names no requirement of catalogue breachdesk-default v1/,
    );
    await expect(attempt('1', { answers: { staff_sso: ['yes'] } })).rejects.toThrow(
      /bad\.json: answers\.staff_sso must be true\/false, a number or a text/,
    );
    await expect(attempt('1', { evidence: { staff_sso: 'javascript:alert(1)' } })).rejects.toThrow(
      /bad\.json: evidence\.staff_sso must be an http\(s\) link/,
    );
    await expect(
      attempt('1', { findings: [{ severity: 'urgent', title: 'x', due: '2027-01-01' }] }),
    ).rejects.toThrow(/bad\.json: findings\[0\]\.severity must be one of low, medium, high, critical/);
    await expect(
      attempt('1', { findings: [{ severity: 'low', title: 'x', due: '2027-02-30' }] }),
    ).rejects.toThrow(/bad\.json: findings\[0\]\.due must be a date/);
    await expect(attempt('9', PASSES_V1)).rejects.toThrow(/--catalogue: no shipped catalogue has version 9/);
    const catalogue = app.write(
      'cat.json',
      JSON.stringify({
        name: 'ours',
        version: 1,
        published: '2026-01-01',
        requirements: [{ id: 'mfa', title: 'MFA', check: { kind: 'at_most', unit: 'hours' } }],
      }),
    );
    await expect(attempt(catalogue, {})).rejects.toThrow(
      /catalogue .*cat\.json: requirements\[0\]\.check\.limit must be a number from 0/,
    );
    await expect(attempt(app.write('none.json', ''), {})).rejects.toThrow(
      /catalogue .*none\.json is not valid JSON/,
    );
    await expect(attempt(`${app.dir}/missing.json`, {})).rejects.toThrow(
      /cannot read catalogue .*missing\.json: ENOENT/,
    );
    const reviews = await app.store.db.selectFrom('vendor_review').selectAll().execute();
    expect(reviews).toEqual([]);
  });
});
