import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { IncidentReport } from '../../src/core/incident-report.js';
import type { RegulatorSummary } from '../../src/core/regulator-summary.js';
import type { DialectName } from '../../src/db/database.js';
import { testDialects } from '../support/databases.js';
import { createTestApp, profiles, type TestApp } from '../support/test-app.js';

const run = promisify(execFile);

const HOSTILE_FILE = '<img src=x onerror=alert(1)>.ndjson';
const HOSTILE_ORG = '<script>alert(2)</script> Org';
const HOSTILE_VENDOR = 'Tracker <svg onload=alert(3)>';
const HOSTILE_TITLE = 'Export "quoted" & <b>bold</b>';

/** Values that came out of the leak (and the directory's addresses): none may reach a report. */
const EXPOSED = [
  'victim@leaked.test',
  'leaked.test',
  'Vic Tim',
  'Secretname',
  'Secretville',
  'Lyon-Hidden',
  'stranger-id',
  'anon-7',
  'ann@acme.test',
  'ben@acme.test',
];

/**
 * A small case with attacker-shaped names everywhere a name can come from: vendor, incident title,
 * organization, dataset file. One matched person in an organization, one unmatched contactable,
 * one uncontactable, one quarantined line; notices planned and approved.
 */
async function hostileIncident(app: TestApp): Promise<string> {
  await app.directory.import({
    accounts: app.write(
      'accounts.csv',
      'id,email,name,status,locale\nu1,ann@acme.test,Ann,active,en\nu2,ben@acme.test,Ben,active,en\n',
    ),
    organizations: app.write('orgs.csv', `id,name\norg-1,"${HOSTILE_ORG}"\n`),
    memberships: app.write('memberships.csv', 'org_id,account_id,role\norg-1,u1,owner\norg-1,u2,member\n'),
  });
  await app.vendors.add({ name: HOSTILE_VENDOR, categories: 'identifier,name,email,location' });
  const incident = await app.incidents.open({
    vendor: HOSTILE_VENDOR,
    title: HOSTILE_TITLE,
    exposed: 'identifier,name,email,location',
    notExposed: 'credentials,payment',
    awareAt: '2026-11-18T08:00:00Z',
  });
  const path = app.write(
    HOSTILE_FILE,
    profiles(
      {
        $distinct_id: 'u2',
        $properties: { $name: 'Ben Secretname', $city: 'Secretville', $country_code: 'DE', org_id: 'org-1' },
      },
      { $distinct_id: 'stranger-id', $properties: { $email: 'victim@leaked.test', $name: 'Vic Tim' } },
      { $distinct_id: 'anon-7', $properties: { $city: 'Lyon-Hidden' } },
    ) + '{not json\n',
  );
  await app.datasets.import({ incidentId: incident.id, path, format: 'auto' });
  await app.notices.plan(incident.id);
  await app.notices.approve(incident.id, 'Dana Responder');
  return incident.id;
}

/** A decision and a timeline note written the way an attacker would name things. */
async function hostileRecord(app: TestApp, id: string): Promise<void> {
  await app.incidents.decide(id, { decision: 'Notify <i>everyone</i>', reason: 'risk & "phishing"' });
  await app.incidents.addEvent(id, {
    type: 'vendor_removed_from_production',
    at: '2026-11-19T12:00:00Z',
    note: 'SDK removed <script>x</script>',
  });
}

async function text(app: TestApp, id: string, format: 'md' | 'html' | 'json', regulator = false) {
  const report = await app.reports.export(id, { format, regulator });
  expect(typeof report.content).toBe('string');
  return report.content as string;
}

describe.each(testDialects())('incident report on %s', (dialect) => {
  it('renders summary, timeline, impact, datasets with their hashes and notices in md, html and json', async () => {
    const app = await createTestApp(dialect);
    const id = await hostileIncident(app);
    const report = JSON.parse(await text(app, id, 'json')) as IncidentReport;
    expect(report.kind).toBe('incident-report');
    expect(report.summary).toMatchObject({
      records: { read: 4, valid: 3, quarantined: 1 },
      people: { total: 3, matched: 1, unmatchedContactable: 1, uncontactable: 1 },
      organizations: 1,
      adminRecipients: 1,
      recipients: 3,
      exposedCategories: ['identifier', 'name', 'email', 'location'],
      noticesSent: 0,
      noticesTotal: 3,
    });
    expect(report.impact.byCategory.bars).toEqual([
      { label: 'user and organization identifiers', value: 3 },
      { label: 'names', value: 2 },
      { label: 'email addresses', value: 1 },
      { label: 'approximate location (city, region, country, time zone)', value: 2 },
    ]);
    expect(report.impact.byCountry?.bars).toEqual([
      { label: 'DE', value: 1 },
      { label: 'unknown', value: 2 },
    ]);
    expect(report.obligations?.jurisdictions.find((o) => o.jurisdiction === 'EU')).toMatchObject({
      status: 'required',
      residents: 1,
    });
    expect(report.impact.organizationsBySize.bars).toContainEqual({ label: '1 member', value: 1 });
    expect(report.impact.largestOrganizations).toEqual([{ name: HOSTILE_ORG, impactedMembers: 1 }]);
    const [dataset] = report.datasets;
    expect(dataset).toMatchObject({ fileName: HOSTILE_FILE, rowsRead: 4, rowsQuarantined: 1 });
    expect(dataset?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report.notices.byStatus.queued).toBe(3);
    expect(report.timeline.map((event) => [event.at, event.event])).toEqual([
      ['2026-11-18T08:00:00.000Z', 'The vendor informed us (awareness: deadlines count from here)'],
      ['2026-11-20T09:00:00.000Z', 'Incident opened'],
      [
        '2026-11-20T09:00:00.000Z',
        `Dataset received: ${HOSTILE_FILE} (SHA-256 ${dataset!.sha256.slice(0, 16)}…)`,
      ],
      ['2026-11-20T09:00:00.000Z', '3 notices approved by Dana Responder'],
    ]);
    expect(report.decisions).toEqual([]);

    const md = await text(app, id, 'md');
    for (const heading of [
      '## Obligations and deadlines',
      '## Decisions',
      '## Summary',
      '## Timeline',
      '## Impact',
      '## Datasets',
      '## Notices and delivery',
    ]) {
      expect(md).toContain(heading);
    }
    expect(md).toContain(dataset!.sha256);
    expect(md).toContain('| user and organization identifiers | 3 |');

    const html = await text(app, id, 'html');
    expect(html).toContain(dataset!.sha256);
    expect(html.match(/<svg /g)).toHaveLength(4);
    expect(html).toContain('<title id="chart-category-title">People by exposed category</title>');
  });

  it('shows hostile file, organization, vendor, title, note and decision text as text, never as markup', async () => {
    const app = await createTestApp(dialect);
    const id = await hostileIncident(app);
    await hostileRecord(app, id);
    const html = await text(app, id, 'html');
    expect(html).toContain('SDK removed &lt;script&gt;x&lt;/script&gt;');
    expect(html).toContain('Notify &lt;i&gt;everyone&lt;/i&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;.ndjson');
    expect(html).toContain('&lt;script&gt;alert(2)&lt;/script&gt; Org');
    expect(html).toContain('Tracker &lt;svg onload=alert(3)&gt;');
    expect(html).toContain('Export &quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt;');
    expect(html).not.toMatch(/<script|<img|<b>|<i>|onload=alert\(3\)>/i);
    expect(html).toMatch(
      /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-/,
    );
    const md = await text(app, id, 'md');
    expect(md).toContain('\\<img src=x onerror=alert(1)\\>.ndjson');
    expect(md).not.toMatch(/(^|[^\\])<(img|script|svg|b)/);
  });

  it('never holds an exposed value or an address, in any format, full or regulator', async () => {
    const app = await createTestApp(dialect);
    const id = await hostileIncident(app);
    for (const regulator of [false, true]) {
      for (const format of ['md', 'html', 'json'] as const) {
        const content = await text(app, id, format, regulator);
        for (const value of EXPOSED) expect(content, `${format} ${regulator}`).not.toContain(value);
      }
    }
  });

  it('gives the regulator exactly the Art. 33(3) items and marks what the tool cannot know as to be completed', async () => {
    const app = await createTestApp(dialect);
    const id = await hostileIncident(app);
    const summary = JSON.parse(await text(app, id, 'json', true)) as RegulatorSummary;
    expect(Object.keys(summary)).toEqual([
      'kind',
      'generatedAt',
      'controller',
      'incident',
      'nature',
      'contact',
      'consequences',
      'measures',
    ]);
    expect(summary.nature).toMatchObject({
      approximateDataSubjects: 3,
      approximateRecords: 3,
      notExposed: ['credentials', 'payment'],
    });
    expect(summary.nature.dataCategories.map((row) => [row.category, row.people])).toEqual([
      ['identifier', 3],
      ['name', 2],
      ['email', 1],
      ['location', 2],
    ]);
    expect(summary.contact).toEqual({
      name: { status: 'to be completed' },
      email: 'privacy@example.com',
      phone: null,
      url: null,
    });
    expect(summary.consequences).toEqual({ status: 'to be completed' });
    expect(summary.measures).toMatchObject({ status: 'to be completed', entries: [] });
    expect(summary.measures.notification).toEqual({ recipients: 3, planned: 3, sent: 0, undeliverable: 0 });

    await app.incidents.decide(id, {
      decision: 'Notify every person',
      reason: 'names and emails invite phishing',
    });
    await app.incidents.addEvent(id, {
      type: 'vendor_removed_from_production',
      at: '2026-11-19T12:00:00Z',
      note: 'tracking snippet removed',
    });
    const given = await app.reports.export(id, {
      format: 'md',
      regulator: true,
      consequences: 'Targeted phishing against the people named.',
      measures: 'Vendor access revoked; every person notified directly.',
    });
    const md = given.content as string;
    expect(md.match(/^## .*/gm)).toEqual([
      '## (a) Nature of the breach',
      '## (b) Data protection officer or contact point',
      '## (c) Likely consequences',
      '## (d) Measures taken or proposed',
    ]);
    expect(md).toContain('Targeted phishing against the people named. _(from the operator)_');
    expect(md).toContain('- Vendor access revoked; every person notified directly. _(from the operator)_');
    expect(md).toContain(
      '- 2026-11-20T09:00:00.000Z: Notify every person (decided by tester: names and emails invite phishing) _(from the decision log)_',
    );
    expect(md).toContain(
      '- 2026-11-19T12:00:00.000Z: Vendor removed from production: tracking snippet removed _(from the timeline)_',
    );
    expect(md).toContain('- Name: **To be completed.**');
  });

  it('assesses obligations on the facts given, and says which it assumed', async () => {
    const app = await createTestApp(dialect);
    const id = await hostileIncident(app);
    const cautious = await app.reports.export(id, { format: 'json' });
    const given = await app.reports.export(id, {
      format: 'json',
      facts: { encrypted: true, unauthorized: false, timeZone: 'Europe/Berlin' },
    });
    const factsOf = (report: { content: string | Uint8Array }) =>
      (JSON.parse(report.content as string) as { obligations: { facts: unknown } }).obligations.facts;
    expect(factsOf(cautious)).toEqual({ unauthorized: true, encrypted: false, timeZone: 'UTC' });
    expect(factsOf(given)).toEqual({ unauthorized: false, encrypted: true, timeZone: 'Europe/Berlin' });
    expect(
      await app.reports
        .export(id, { format: 'md', facts: { timeZone: 'Berlin' } })
        .catch((e: Error) => e.message),
    ).toMatch(/not an IANA time zone/);
  });

  it('audits every export with its kind, format and digest, not its content', async () => {
    const app = await createTestApp(dialect);
    const id = await hostileIncident(app);
    const exported = await app.reports.export(id, { format: 'md', regulator: true });
    const entries = await app.store.db
      .selectFrom('audit_entry')
      .selectAll()
      .where('action', '=', 'report.export')
      .execute();
    expect(entries).toHaveLength(1);
    const detail = JSON.parse(entries[0]!.detail) as Record<string, unknown>;
    expect(Object.keys(detail).sort()).toEqual(['format', 'kind', 'sha256']);
    expect(detail).toMatchObject({ kind: 'regulator-summary', format: 'md' });
    expect(detail.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(entries[0]!.detail).not.toContain((exported.content as string).slice(0, 40));
  });

  it('prints a PDF with Chromium: one page per section, none blank, the text searchable', async () => {
    const app = await createTestApp(dialect);
    const id = await hostileIncident(app);
    await hostileRecord(app, id);
    const pdf = await app.reports.export(id, { format: 'pdf' });
    expect(pdf.mediaType).toBe('application/pdf');
    const path = join(app.dir, 'report.pdf');
    writeFileSync(path, pdf.content);
    expect(readFileSync(path).subarray(0, 5).toString()).toBe('%PDF-');

    const pages = await pageImages(path, dialect);
    // Seven sections, each starting a page; only the obligations' details run onto a second.
    expect(pages.length).toBeGreaterThanOrEqual(7);
    expect(pages.length).toBeLessThanOrEqual(9);
    for (const page of pages) expect(page.inkRatio, page.name).toBeGreaterThan(0.002);

    const { stdout } = await run('pdftotext', ['-layout', path, '-']);
    const pageTexts = stdout.split('\f').map((page) => page.replace(/\s+/g, ' '));
    const firstPageWith = (text: string) => pageTexts.findIndex((page) => page.includes(text));
    const sections = [
      'Incident report: Export "quoted" & <b>bold</b>',
      'Timeline',
      'People by exposed category',
      'Datasets (chain of custody)',
      'Notices and delivery',
      'Obligations and deadlines',
      'Decisions',
    ].map(firstPageWith);
    expect(sections.slice(0, 6)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(sections[6]).toBe(pages.length - 1);
    expect(pageTexts[2]).toContain('<script>alert(2)</script> Org');
    expect(pageTexts[3]).toContain(HOSTILE_FILE);
    expect(pageTexts[5]).toContain('European Union');
    expect(pageTexts[pages.length - 1]).toContain('Notify <i>everyone</i>');
    for (const value of EXPOSED) expect(stdout).not.toContain(value);
  }, 60_000);
});

/**
 * Rasterizes every page as a graymap (trivial to read without an image library) and saves a PNG
 * of the charts page under .test-results/ for a person to look at.
 */
async function pageImages(pdf: string, dialect: DialectName): Promise<{ name: string; inkRatio: number }[]> {
  const dir = join(pdf, '..', 'pages');
  mkdirSync(dir, { recursive: true });
  await run('pdftoppm', ['-gray', '-r', '40', pdf, join(dir, 'page')]);
  const names = readdirSync(dir)
    .filter((name) => name.endsWith('.pgm'))
    .sort();
  mkdirSync('.test-results', { recursive: true });
  await run('pdftoppm', [
    '-png',
    '-r',
    '80',
    '-f',
    '3',
    '-l',
    '3',
    '-singlefile',
    pdf,
    `.test-results/report-impact-${dialect}`,
  ]);
  return names.map((name) => ({ name, inkRatio: inkRatio(readFileSync(join(dir, name))) }));
}

/** The share of pixels darker than light grey in a binary PGM (P5). */
function inkRatio(pgm: Buffer): number {
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 50).toString('latin1'));
  if (!header) throw new Error('not a binary PGM');
  const pixels = pgm.subarray(header[0].length);
  let dark = 0;
  for (const value of pixels) if (value < 200) dark += 1;
  return dark / pixels.length;
}
