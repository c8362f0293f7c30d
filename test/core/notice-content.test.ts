import { describe, expect, it } from 'vitest';
import { CATEGORY_LABELS } from '../../src/core/categories.js';
import { isUserError } from '../../src/core/errors.js';
import { escapeHtml, headerSafe } from '../../src/core/escape.js';
import { loadTemplates } from '../../src/adapters/template-folder.js';
import { renderNotice as renderWith } from '../../src/core/notice-content.js';
import type { NoticeInput } from '../../src/core/notice-content.js';

type Organization = NoticeInput['organizations'][number];

// The shipped default templates carry the wording these tests check.
const TEMPLATES = loadTemplates();
const renderNotice = (input: NoticeInput) => renderWith(input, TEMPLATES);

const HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>';

function notice(overrides: Partial<NoticeInput> = {}): NoticeInput {
  return {
    company: {
      name: 'Acme',
      contactEmail: 'security@acme.example',
      contactUrl: 'https://acme.example/security',
      sendingDomains: ['acme.example', 'notify.acme.example'],
      verifyUrl: null,
    },
    incident: {
      vendorName: 'Metricly',
      title: 'Analytics dataset exported by an unauthorized party',
      awareAt: '2025-11-09T15:00:00Z',
      openedAt: '2025-11-10T08:00:00Z',
      exposed: ['name', 'email', 'location', 'device', 'phone'],
      notExposed: ['credentials', 'api_key', 'payment'],
    },
    recipient: { address: 'alice@example.com', name: 'Alice Liddell' },
    personal: { categories: ['name', 'email'] },
    organizations: [],
    referenceCode: 'BD-7Q4K-92XM',
    ...overrides,
  };
}

function organization(overrides: Partial<Organization> = {}): Organization {
  return {
    id: 'org_123',
    name: 'Widgets Inc',
    impactedMembers: 2,
    members: [
      { label: 'bob@example.com', categories: ['email', 'location'] },
      { label: 'carol@example.com', categories: ['name'] },
    ],
    ...overrides,
  };
}

function members(count: number): Organization['members'] {
  return Array.from({ length: count }, (_, index) => ({
    label: `m${index}@example.com`,
    categories: ['email'],
  }));
}

function sectionOf(text: string, heading: string): string {
  const start = text.indexOf(`${heading}\n---`);
  expect(start).toBeGreaterThanOrEqual(0);
  const nextHeading = /\n\n[^\n]+\n-{3,}\n/g;
  nextHeading.lastIndex = start;
  const next = nextHeading.exec(text);
  return text.slice(start, next === null ? text.length : next.index);
}

/** The text part with its line wrapping undone, for checking phrases. */
function prose(text: string): string {
  return text.replace(/\s+/g, ' ');
}

function tagNames(html: string): Set<string> {
  return new Set(
    [...html.matchAll(/<\/?([a-z!][a-z0-9]*)/gi)].map((match) => (match[1] ?? '').toLowerCase()),
  );
}

describe('renderNotice', () => {
  it("names only the recipient's own exposed categories and lists the confirmed-not-exposed ones", () => {
    const { text, html } = renderNotice(notice());
    const personal = sectionOf(text, 'Your information');

    expect(personal).toContain('Your name');
    expect(personal).toContain('Your email address');
    for (const other of ['phone', 'location', 'device'] as const) {
      expect(text).not.toContain(CATEGORY_LABELS[other]);
      expect(html).not.toContain(escapeHtml(CATEGORY_LABELS[other]));
    }
    const notAffected = sectionOf(text, 'What was not affected');
    expect(notAffected).toContain('Your password or security answers');
    expect(notAffected).toContain('Your API keys or access tokens');
    expect(notAffected).toContain('Your payment details');
    expect(text).not.toMatch(/^Organization:/m);
  });

  it('lists categories once and in canonical order whatever order they arrive in', () => {
    const forward = renderNotice(notice({ personal: { categories: ['name', 'email'] } }));
    const backward = renderNotice(notice({ personal: { categories: ['email', 'name', 'email'] } }));

    expect(backward).toEqual(forward);
  });

  it('gives an admin-only recipient an organization section with count and members and no personal section', () => {
    const { subject, text, html } = renderNotice(notice({ personal: null, organizations: [organization()] }));

    expect(subject).toBe('Security notice: Metricly incident affecting members of Widgets Inc');
    expect(text).not.toContain('Your information');
    expect(html).not.toContain('Your information');
    expect(text).toContain('Organization: Widgets Inc');
    expect(text).toContain('organization ID org_123');
    expect(text).toContain('Impacted members: 2');
    expect(text).toContain('bob@example.com: email address, approximate location');
    expect(text).toContain('carol@example.com: name');
    expect(html).toContain('Impacted members: <strong>2</strong>');
    expect(html).toContain('<strong>bob@example.com</strong>: email address, approximate location');
  });

  it('addresses several administered organizations together in the subject', () => {
    const { subject, text } = renderNotice(
      notice({
        personal: null,
        organizations: [organization(), organization({ id: 'org_456', name: 'Gadgets Ltd' })],
      }),
    );

    expect(subject).toBe('Security notice: Metricly incident affecting members of your organizations');
    expect(text).toContain('Organization: Widgets Inc');
    expect(text).toContain('Organization: Gadgets Ltd');
  });

  it('puts the personal and the admin sections in one message when the recipient is both', () => {
    const { subject, text } = renderNotice(notice({ organizations: [organization()] }));

    expect(subject).toBe('Security notice: Metricly incident affecting your data');
    expect(text.indexOf('Your information')).toBeGreaterThan(-1);
    expect(text.indexOf('Organization: Widgets Inc')).toBeGreaterThan(text.indexOf('Your information'));
    expect(prose(text)).toContain('information about you and about members of organizations you administer');
  });

  it('lists at most 200 members per organization and keeps the exact impacted count', () => {
    const big = organization({ impactedMembers: 1250, members: members(250) });
    const { text, html } = renderNotice(notice({ personal: null, organizations: [big] }));

    expect(text).toContain('Impacted members: 1,250');
    expect(text).toContain('m199@example.com');
    expect(text).not.toContain('m200@example.com');
    expect(text.match(/^ {2}- m\d+@example\.com/gm)).toHaveLength(200);
    expect(text).toContain('And 1,050 more — ask us for the full list.');
    expect(html).toContain('And 1,050 more — ask us for the full list.');
  });

  it('says when an organization is impacted only through its ID', () => {
    const { text } = renderNotice(
      notice({ personal: null, organizations: [organization({ impactedMembers: 0, members: [] })] }),
    );

    expect(text).toContain('Impacted members: 0');
    expect(prose(text)).toContain("the organization's ID was in the data");
    expect(text).not.toContain('more — ask us');
  });

  it('escapes script tags and quotes from names, organizations, members, vendor and title in the HTML', () => {
    const { html } = renderNotice(
      notice({
        company: { ...notice().company, name: HOSTILE },
        incident: { ...notice().incident, vendorName: HOSTILE, title: HOSTILE },
        recipient: { address: 'alice@example.com', name: HOSTILE },
        organizations: [
          organization({
            id: HOSTILE,
            name: HOSTILE,
            members: [{ label: HOSTILE, categories: ['email'] }],
          }),
        ],
        referenceCode: HOSTILE,
      }),
    );

    expect(tagNames(html)).toEqual(
      new Set([
        '!doctype',
        'html',
        'head',
        'meta',
        'title',
        'body',
        'div',
        'h2',
        'p',
        'ul',
        'li',
        'strong',
        'a',
      ]),
    );
    expect(html).not.toContain('<script');
    expect(html).not.toContain('"><img');
    expect(html).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;',
    );
  });

  it('keeps hostile values inert in the text part', () => {
    const { text } = renderNotice(
      notice({
        recipient: { address: 'alice@example.com', name: `Eve\r\nBcc: victim@example.com\n${HOSTILE}` },
        organizations: [organization({ name: "=cmd|' /C calc'!A0\r\nReply to attacker@evil.example" })],
      }),
    );

    expect(text).not.toContain('\r');
    expect(text).not.toMatch(/^Bcc:/m);
    expect(text).not.toMatch(/^Reply to attacker/m);
    expect(text).toContain('Hello Eve Bcc: victim@example.com <script>alert(1)</script>');
  });

  it('keeps CR and LF in names and organization names out of the subject', () => {
    const { subject } = renderNotice(
      notice({
        incident: { ...notice().incident, vendorName: 'Metricly\r\nBcc: victim@example.com' },
        personal: null,
        organizations: [organization({ name: 'Widgets\r\nX-Injected: yes\u0000\u202E' })],
      }),
    );

    expect(subject).not.toMatch(/[\p{Cc}\u202e]/u);
    expect(subject).toBe(
      'Security notice: Metricly Bcc: victim@example.com incident affecting members of Widgets X-Injected: yes',
    );
  });

  it('keeps the subject within 200 characters', () => {
    const { subject } = renderNotice(
      notice({ incident: { ...notice().incident, vendorName: `Vendor ${'😀'.repeat(300)}` } }),
    );

    expect(subject.length).toBeLessThanOrEqual(200);
    expect(subject.startsWith('Security notice: Vendor')).toBe(true);
    expect(subject.endsWith('…')).toBe(true);
    expect(subject).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('names the official sending domains and says we never ask for passwords in both parts', () => {
    const { text, html } = renderNotice(notice());

    for (const part of [text, html]) {
      expect(part).toContain('acme.example');
      expect(part).toContain('notify.acme.example');
      expect(part).toContain('never ask for passwords, API keys or verification codes by email');
      expect(part).toContain('multi-factor authentication');
      expect(part).toMatch(/phishing/);
    }
    expect(prose(text)).toContain('come only from these domains: acme.example, notify.acme.example.');
  });

  it('renders byte-identical output for the same input', () => {
    const input = notice({ organizations: [organization({ members: members(300), impactedMembers: 300 })] });

    const first = renderNotice(input);
    const second = renderNotice(structuredClone(input));

    expect(second.subject).toBe(first.subject);
    expect(second.text).toBe(first.text);
    expect(second.html).toBe(first.html);
  });

  it('carries the reference code and how to check it in both parts', () => {
    const byReply = renderNotice(notice());
    const byPage = renderNotice(
      notice({ company: { ...notice().company, verifyUrl: 'https://acme.example/verify' } }),
    );

    for (const part of [byReply.text, byReply.html, byPage.text, byPage.html]) {
      expect(part).toContain('BD-7Q4K-92XM');
    }
    expect(prose(byReply.text)).toContain('reply to security@acme.example quoting the reference code');
    expect(prose(byPage.text)).toContain('visit https://acme.example/verify and enter the reference code');
    expect(byPage.html).toContain('<a href="https://acme.example/verify"');
  });

  it('formats the aware date as YYYY-MM-DD in UTC', () => {
    const { text, html } = renderNotice(
      notice({ incident: { ...notice().incident, awareAt: '2025-11-09T23:30:00-05:00' } }),
    );

    expect(prose(text)).toContain('We became aware of it on 2025-11-10.');
    expect(html).toContain('We became aware of it on 2025-11-10.');
  });

  it('says when the investigation opened when the aware date is unknown', () => {
    const { text } = renderNotice(notice({ incident: { ...notice().incident, awareAt: null } }));

    expect(prose(text)).not.toContain('became aware');
    expect(prose(text)).toContain('We opened our investigation on 2025-11-10.');
  });

  it('refuses an incident date without a time zone, which would render differently per machine', () => {
    const input = notice({ incident: { ...notice().incident, awareAt: '2025-11-09T23:30:00' } });

    expect(() => renderNotice(input)).toThrow(/time zone/);
  });

  it('never calls a category unaffected that the message names as exposed', () => {
    const { text } = renderNotice(
      notice({
        incident: { ...notice().incident, notExposed: ['email', 'credentials'] },
        organizations: [
          organization({ members: [{ label: 'bob@example.com', categories: ['credentials'] }] }),
        ],
      }),
    );

    expect(sectionOf(text, 'What was not affected')).toBe(
      'What was not affected\n---------------------\n\nWe are still confirming which information was not affected and will tell you\nwhen we know.',
    );
  });

  it('renders a self-contained HTML document with no external resources', () => {
    const { html } = renderNotice(notice({ company: { ...notice().company, contactUrl: null } }));

    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('max-width:600px');
    expect(html).not.toMatch(/<img|<link|<script|src=|url\(|@import|https?:/i);
  });

  it('shows a non-web contact address as text, not as a link', () => {
    const { html } = renderNotice(
      notice({ company: { ...notice().company, contactUrl: 'javascript:alert(1)' } }),
    );

    expect(html).not.toContain('href="javascript:');
    expect(html).toContain('Web: javascript:alert(1)');
  });

  it('wraps the text part to 76 columns', () => {
    const { text } = renderNotice(notice({ organizations: [organization()] }));

    expect(text.split('\n').every((line) => line.length <= 76)).toBe(true);
  });

  it('greets by name when known and generically otherwise', () => {
    expect(renderNotice(notice()).text.startsWith('Hello Alice Liddell,\n')).toBe(true);
    const anonymous = renderNotice(notice({ recipient: { address: 'x@example.com', name: ' \r\n ' } }));
    expect(anonymous.text.startsWith('Hello,\n')).toBe(true);
  });

  it('refuses a notice with neither a personal nor an organization section', () => {
    let thrown: unknown;
    try {
      renderNotice(notice({ personal: null, organizations: [] }));
    } catch (error) {
      thrown = error;
    }

    expect(isUserError(thrown)).toBe(true);
  });

  it('refuses a notice without an official sending domain', () => {
    const input = notice({ company: { ...notice().company, sendingDomains: [' \n '] } });

    expect(() => renderNotice(input)).toThrow(/sending domain/);
  });
});

describe('headerSafe', () => {
  it('strips CR, LF and other control characters and collapses whitespace', () => {
    expect(headerSafe('  Acme\r\nBcc: x@example.com\t\u0000\u0085 Inc  ')).toBe(
      'Acme Bcc: x@example.com Inc',
    );
  });

  it('strips bidirectional overrides that can disguise a name', () => {
    expect(headerSafe('invoice\u202Efdp.exe')).toBe('invoice fdp.exe');
  });
});

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});
