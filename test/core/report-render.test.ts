import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderBarChart } from '../../src/core/bar-chart.js';
import { CATEGORIES, type Category } from '../../src/core/categories.js';
import {
  buildIncidentReport,
  countryBars,
  organizationSizeBars,
  type IncidentReportInput,
} from '../../src/core/incident-report.js';
import { buildRegulatorSummary } from '../../src/core/regulator-summary.js';
import { renderReportHtml } from '../../src/core/report-html.js';
import { renderReportMarkdown } from '../../src/core/report-markdown.js';

const HOSTILE = '<img src=x onerror=alert(1)>';

function categories(counts: Partial<Record<Category, number>>): Record<Category, number> {
  return Object.fromEntries(CATEGORIES.map((c) => [c, counts[c] ?? 0])) as Record<Category, number>;
}

const input: IncidentReportInput = {
  generatedAt: '2026-11-20T09:00:00.000Z',
  company: { name: 'Acme' },
  incident: {
    id: 'inc_1',
    title: 'Analytics export',
    vendor: HOSTILE,
    status: 'open',
    openedAt: '2026-11-19T10:00:00.000Z',
    awareAt: '2026-11-19T08:00:00.000Z',
    exposed: ['name', 'email'],
    notExposed: ['credentials'],
  },
  impact: {
    records: { read: 12, valid: 10, quarantined: 2 },
    people: { total: 9, matched: 6, unmatchedContactable: 2, uncontactable: 1 },
    organizations: 3,
    organizationsWithoutAdmin: 1,
    adminRecipients: 2,
    recipients: 10,
    categories: categories({ name: 7, email: 9 }),
  },
  organizationSizes: [
    { members: 0, organizations: 1 },
    { members: 3, organizations: 2 },
  ],
  largestOrganizations: [{ name: HOSTILE, impactedMembers: 3 }],
  datasets: [],
  notices: { queued: 2, sending: 0, sent: 7, deferred: 0, failed: 0, bounced: 1, dead: 0 },
  timeline: [
    {
      type: 'dataset_received',
      occurredAt: '2026-11-19T11:00:00.000Z',
      source: 'breachdesk',
      note: null,
      detail: { file: HOSTILE, sha256: 'ab'.repeat(32) },
      recordedBy: 'dana',
    },
    {
      type: 'incident_opened',
      occurredAt: '2026-11-19T10:00:00.000Z',
      source: 'breachdesk',
      note: null,
      detail: {},
      recordedBy: 'dana',
    },
    {
      type: 'vendor_informed_us',
      occurredAt: '2026-11-19T08:00:00.000Z',
      source: 'vendor email',
      note: `ticket ${HOSTILE}`,
      detail: {},
      recordedBy: 'dana',
    },
  ],
  decisions: [],
};

describe('report charts', () => {
  it('draws an accessible SVG bar chart whose labels are text, even hostile or cut short', () => {
    const long = `${'x'.repeat(50)}<script>`;
    const svg = renderBarChart(
      {
        title: 'People by <category>',
        axis: 'category',
        unit: 'people',
        bars: [
          { label: HOSTILE, value: 4 },
          { label: long, value: 2 },
        ],
      },
      'c1',
    );
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" role="img" /);
    expect(svg).toContain('aria-labelledby="c1-title c1-desc"');
    expect(svg).toContain('<title id="c1-title">People by &lt;category&gt;</title>');
    expect(svg).toContain('&lt;img src=x onerror=alert(1)&gt;: 4 people');
    expect(svg).not.toMatch(/<(img|script)/);
    expect(svg).not.toMatch(/style=|<style|font-face|href/);
    const widths = [...svg.matchAll(/<rect [^>]*width="(\d+)"/g)].map((m) => Number(m[1]));
    expect(widths[0]).toBe(2 * widths[1]!);
  });

  it('charts the fifteen largest countries, the rest as one bar, and the unknown last', () => {
    const rows = Array.from({ length: 20 }, (_, i) => ({
      country: `C${String(i).padStart(2, '0')}`,
      people: 100 - i,
    }));
    const bars = countryBars([...rows, { country: null, people: 1 }]);
    expect(bars).toHaveLength(17);
    expect(bars[0]).toEqual({ label: 'C00', value: 100 });
    expect(bars.slice(15)).toEqual([
      { label: '5 other countries', value: 85 + 84 + 83 + 82 + 81 },
      { label: 'unknown', value: 1 },
    ]);
  });

  it('buckets organizations by impacted members: 1, 2–5, 6–20, 21–100, more than 100', () => {
    const bars = organizationSizeBars(
      [1, 2, 5, 6, 20, 21, 100, 101, 5000].map((members) => ({ members, organizations: 1 })),
    );
    expect(bars).toEqual([
      { label: '1 member', value: 1 },
      { label: '2–5 members', value: 2 },
      { label: '6–20 members', value: 2 },
      { label: '21–100 members', value: 2 },
      { label: 'more than 100 members', value: 2 },
    ]);
    expect(organizationSizeBars([{ members: 0, organizations: 4 }])[0]).toEqual({
      label: '0 (named in the dataset only)',
      value: 4,
    });
  });
});

describe('report rendering', () => {
  it('builds an HTML page with no script whose CSP allows exactly its own stylesheet', () => {
    const html = renderReportHtml(buildIncidentReport(input));
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    const hash = createHash('sha256').update(style).digest('base64');
    expect(html).toContain(
      `content="default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'"`,
    );
    expect(html).not.toMatch(/<script|<img|<link|src=["']?http|@import|url\(/i);
    expect(html).toContain('vendor &lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('@page { size: A4;');
  });

  it('orders the incident record events in time, notes and sources escaped', () => {
    const report = buildIncidentReport(input);
    expect(report.timeline.map((event) => [event.at, event.event, event.note, event.source])).toEqual([
      [
        '2026-11-19T08:00:00.000Z',
        'The vendor informed us (awareness: deadlines count from here)',
        `ticket ${HOSTILE}`,
        'vendor email',
      ],
      ['2026-11-19T10:00:00.000Z', 'Incident opened', null, 'breachdesk'],
      [
        '2026-11-19T11:00:00.000Z',
        `Dataset received: ${HOSTILE} (SHA-256 abababababababab…)`,
        null,
        'breachdesk',
      ],
    ]);
    const html = renderReportHtml(report);
    expect(html).toContain('<span class="source">ticket &lt;img src=x onerror=alert(1)&gt;</span>');
    expect(html).not.toContain('<img');
    expect(report.notices.delivery.bars.map((bar) => bar.label)).toEqual(['queued', 'sent', 'bounced']);
  });

  it('renders obligations when assessed and the decision log, and says so when there is none', () => {
    const without = buildIncidentReport(input);
    expect(renderReportHtml(without)).not.toContain('id="obligations"');
    expect(renderReportMarkdown(without)).toContain('## Decisions\n\nNone.');
    const withBoth = buildIncidentReport({
      ...input,
      obligations: {
        ruleVersion: '2026-01-01',
        disclaimer: 'Decision support, not legal advice.',
        awareAt: '2026-11-19T08:00:00.000Z',
        now: '2026-11-20T09:00:00.000Z',
        facts: { unauthorized: true, encrypted: false, timeZone: 'UTC' },
        warnings: [],
        obligations: [
          {
            jurisdiction: 'EU',
            name: 'European Union (GDPR)',
            citation: 'GDPR Art. 33, 34',
            status: 'required',
            residents: 9,
            affected: 9,
            deadline: {
              at: '2026-11-22T08:00:00.000Z',
              local: '2026-11-22T08:00:00+00:00',
              rule: 'within 72 hours of awareness',
            },
            countdown: 'due in 47 h',
            reasons: [`email exposed for 9 people in ${HOSTILE}`],
            notifications: [
              {
                to: 'supervisory authority',
                status: 'required',
                deadline: {
                  at: '2026-11-22T08:00:00.000Z',
                  local: '2026-11-22T08:00:00+00:00',
                  rule: 'within 72 hours of awareness',
                },
              },
            ],
            checklist: ['file the Art. 33 notification'],
          },
        ],
      },
      decisions: [
        {
          decidedAt: '2026-11-19T12:00:00.000Z',
          decidedBy: 'dana',
          decision: 'notify all',
          reason: 'low threshold',
        },
      ],
    });
    const html = renderReportHtml(withBoth);
    expect(html).toContain('id="obligations"');
    expect(html).toContain('2026-11-22T08:00:00+00:00 (within 72 hours of awareness)');
    expect(html).toContain('due in 47 h');
    expect(html).toContain('☐ file the Art. 33 notification');
    expect(html).not.toContain('<img');
    const md = renderReportMarkdown(withBoth);
    expect(md).toContain('## Obligations and deadlines');
    expect(md).toContain(
      '| European Union (GDPR) | required | 9 / 9 | 2026-11-22T08:00:00+00:00 | due in 47 h |',
    );
    expect(md).toContain('| 2026-11-19T12:00:00.000Z | dana | notify all | low threshold |');
    expect(md).toContain('- [ ] file the Art. 33 notification');
  });

  it('marks the regulator items the tool cannot know as to be completed, and uses what it is given', () => {
    const base = {
      generatedAt: input.generatedAt,
      company: {
        name: 'Acme',
        contactEmail: 'privacy@acme.test',
        contactUrl: null,
        dpoName: null,
        dpoEmail: null,
        dpoPhone: null,
      },
      incident: input.incident,
      impact: input.impact,
      notices: input.notices,
      consequences: null,
      measures: null,
      decisions: [],
      timeline: [],
    };
    const open = renderReportHtml(buildRegulatorSummary(base));
    expect(open.match(/To be completed\./g)).toHaveLength(3);
    expect(buildRegulatorSummary({ ...base, measures: '   ' }).measures.status).toBe('to be completed');
    const given = buildRegulatorSummary({
      ...base,
      company: { ...base.company, dpoName: 'Dr. Data', dpoEmail: 'dpo@acme.test', dpoPhone: '+49 30 1234' },
      consequences: ' Phishing. ',
      measures: 'Access keys rotated.',
      decisions: [
        {
          decidedAt: '2026-11-19T12:00:00.000Z',
          decidedBy: 'dana',
          decision: 'Notify all',
          reason: 'phishing risk',
        },
      ],
      timeline: [
        { type: 'vendor_terminated', occurredAt: '2026-11-19T13:00:00.000Z', note: 'contract ended' },
        { type: 'note', occurredAt: '2026-11-19T14:00:00.000Z', note: 'unrelated' },
      ],
    });
    expect(given.contact).toEqual({
      name: { status: 'provided', text: 'Dr. Data', source: 'config' },
      email: 'dpo@acme.test',
      phone: '+49 30 1234',
      url: null,
    });
    expect(given.consequences).toEqual({ status: 'provided', text: 'Phishing.', source: 'operator' });
    expect(given.measures.status).toBe('provided');
    expect(given.measures.entries).toEqual([
      { at: null, text: 'Access keys rotated.', source: 'operator' },
      {
        at: '2026-11-19T12:00:00.000Z',
        text: 'Notify all (decided by dana: phishing risk)',
        source: 'decision log',
      },
      { at: '2026-11-19T13:00:00.000Z', text: 'Vendor terminated: contract ended', source: 'timeline' },
    ]);
    expect(given.measures.notification).toEqual({ recipients: 10, planned: 10, sent: 7, undeliverable: 1 });
  });
});
