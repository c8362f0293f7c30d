import { describe, expect, it } from 'vitest';
import {
  loadTemplates,
  readTemplateFolder,
  shippedTemplatesDir,
} from '../../src/adapters/template-folder.js';
import { renderNotice, type NoticeInput } from '../../src/core/notice-content.js';
import {
  buildTemplateLibrary,
  formatProblem,
  NOTICE_OF_DATA_BREACH,
  NOTICE_OF_DATA_BREACH_HEADINGS,
  type TemplateFolder,
} from '../../src/core/template-library.js';

const SHIPPED = readTemplateFolder(shippedTemplatesDir());
const TEMPLATES = loadTemplates();

/** The shipped folder with some files of one locale replaced (undefined removes the file). */
function edited(layout: string, locale: string, files: Record<string, string | undefined>): TemplateFolder {
  return {
    root: SHIPPED.root,
    locales: SHIPPED.locales.map((entry) => {
      if (entry.layout !== layout || entry.locale !== locale) return entry;
      const copy = new Map(entry.files);
      for (const [name, text] of Object.entries(files)) {
        if (text === undefined) copy.delete(name);
        else copy.set(name, text);
      }
      return { ...entry, files: copy };
    }),
  };
}

function problemsOf(folder: TemplateFolder): string[] {
  return buildTemplateLibrary(folder).problems.map((problem) =>
    formatProblem({ ...problem, file: problem.file.slice(SHIPPED.root.length + 1) }),
  );
}

const INPUT: NoticeInput = {
  company: {
    name: 'Acme',
    contactEmail: 'security@acme.example',
    contactUrl: null,
    sendingDomains: ['acme.example'],
    verifyUrl: 'https://acme.example/verify',
  },
  incident: {
    vendorName: 'Metricly',
    title: 'Analytics export',
    awareAt: '2025-11-09T15:00:00Z',
    openedAt: '2025-11-10T08:00:00Z',
    exposed: ['name', 'email'],
    notExposed: ['credentials', 'payment'],
  },
  recipient: { address: 'anna@example.de', name: 'Anna' },
  personal: { categories: ['name', 'email'] },
  organizations: [
    {
      id: 'org_1',
      name: 'Widgets GmbH',
      impactedMembers: 1250,
      members: [{ label: 'bob@example.de', categories: ['email', 'location'] }],
    },
  ],
  referenceCode: 'BD-7Q4K-92XM',
};

describe('shipped templates', () => {
  it('pass every check', () => {
    expect(problemsOf(SHIPPED)).toEqual([]);
  });

  it('render the German notice with German headings, labels and number format', () => {
    const { subject, text, html } = renderNotice({ ...INPUT, locale: 'de' }, TEMPLATES);

    expect(subject).toBe('Sicherheitshinweis: Vorfall bei Metricly betrifft Ihre Daten');
    for (const heading of [
      'Ihre Daten',
      'Organisation: Widgets GmbH',
      'Was ist passiert?',
      'Was nicht betroffen ist',
      'Was wir unternehmen',
      'Was Sie tun sollten',
      'Fragen',
    ]) {
      expect(text).toContain(`${heading}\n---`);
      expect(html).toContain(`>${heading}</h2>`);
    }
    expect(text).toContain('  - Ihr Name\n  - Ihre E-Mail-Adresse');
    expect(text).toContain('bob@example.de: E-Mail-Adresse, ungefährer Standort');
    expect(text).toContain('Betroffene Mitglieder: 1.250');
    expect(text).toContain('Und 1.249 weitere');
    expect(text).toContain('Ihr Passwort oder Ihre Sicherheitsantworten');
    expect(text).toContain('BD-7Q4K-92XM');
    expect(html).toContain('<html lang="de">');
    expect(text).not.toMatch(/What happened|Your information/);
  });

  it('lay out the Notice of Data Breach with the five standard headings in order', () => {
    const { subject, text, html } = renderNotice({ ...INPUT, layout: NOTICE_OF_DATA_BREACH }, TEMPLATES);

    expect(subject).toMatch(/^Notice of Data Breach: /);
    for (const part of [text, html]) {
      const positions = NOTICE_OF_DATA_BREACH_HEADINGS.map((heading) => part.indexOf(heading));
      expect(positions.every((position) => position >= 0)).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    }
    const involved = text.slice(
      text.indexOf('What Information Was Involved'),
      text.indexOf('What We Are Doing'),
    );
    expect(involved).toContain('Your name');
    expect(involved).toContain('Widgets GmbH');
    expect(involved).toContain('did not expose');
    expect(text).toContain('never ask for passwords, API keys or verification codes');
  });

  it('fall back to English for a layout without the recipient locale', () => {
    const { text } = renderNotice({ ...INPUT, layout: NOTICE_OF_DATA_BREACH, locale: 'de' }, TEMPLATES);
    expect(text).toContain('What Happened');
  });
});

describe('template checks', () => {
  it('name the file and line of a syntax error and of an unknown variable', () => {
    const problems = problemsOf(
      edited('default', 'de', {
        'subject.txt': 'Hinweis: {{vendr}}\n',
        'text.txt': 'Hallo\n{{#personal}}\nText\n',
      }),
    );

    expect(problems).toEqual([
      'default/de/subject.txt:1: unknown variable {{vendr}}',
      'default/de/text.txt:2: {{#personal}} is never closed',
    ]);
  });

  it('report a missing file per locale', () => {
    expect(problemsOf(edited('default', 'de', { 'html.html': undefined }))).toEqual([
      'default/de/html.html: missing file',
    ]);
  });

  it('require the five headings, in order, in the Notice of Data Breach layout', () => {
    const text = SHIPPED.locales
      .find((entry) => entry.layout === NOTICE_OF_DATA_BREACH)!
      .files.get('text.txt')!;
    const swapped = text
      .replace('What We Are Doing', 'WWAD')
      .replace('What You Can Do', 'What We Are Doing')
      .replace('WWAD', 'What You Can Do');

    expect(problemsOf(edited(NOTICE_OF_DATA_BREACH, 'en', { 'text.txt': swapped }))).toEqual([
      'notice-of-data-breach/en/text.txt: missing the heading "What You Can Do" (or not in the standard order)',
    ]);
  });

  it('require a label for every category, naming the line of a bad one', () => {
    const labels = SHIPPED.locales.find((entry) => entry.locale === 'de')!.files.get('labels.txt')!;
    const broken = labels.replace(/^health: .*$/m, 'helth: Gesundheit | Gesundheit');

    expect(problemsOf(edited('default', 'de', { 'labels.txt': broken }))).toEqual([
      expect.stringMatching(/^default\/de\/labels\.txt:\d+: unknown category "helth"$/),
      'default/de/labels.txt: no label for health',
    ]);
  });

  it('require the English fallback in every layout', () => {
    const folder = {
      ...SHIPPED,
      locales: SHIPPED.locales.filter((entry) => entry.layout !== 'default' || entry.locale !== 'en'),
    };
    expect(problemsOf(folder)).toEqual(['default/en: every layout needs the fallback locale en']);
  });
});
