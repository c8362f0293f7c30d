import { describe, expect, it } from 'vitest';
import {
  checkTemplate,
  isTemplateError,
  parseTemplate,
  renderTemplate,
  type TemplateKind,
  type TemplateSchema,
  type TemplateView,
} from '../../src/core/template-language.js';

const SCRIPT = '<script>alert(1)</script>';
const ATTRIBUTE_BREAKOUT = '"><img src=x onerror=alert(2)>';

function render(source: string, view: TemplateView, kind: TemplateKind = 'text'): string {
  return renderTemplate(parseTemplate(source, 'test.txt', kind), view);
}

function parseError(source: string, kind: TemplateKind = 'text'): string {
  try {
    parseTemplate(source, 'templates/default/en/text.txt', kind);
  } catch (error) {
    expect(isTemplateError(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected a template error');
}

describe('template language', () => {
  it('replaces variables with their values', () => {
    expect(render('Hello {{ name }}, from {{company}}.', { name: 'Alice', company: 'Acme' })).toBe(
      'Hello Alice, from Acme.',
    );
  });

  it('shows a section for a set flag or a non-empty value and hides it otherwise', () => {
    const source = '{{#flag}}F{{/flag}}{{#value}}V={{value}}{{/value}}{{#empty}}E{{/empty}}';
    expect(render(source, { flag: true, value: 'x', empty: '' })).toBe('FV=x');
    expect(render(source, { flag: false, value: '', empty: '' })).toBe('');
  });

  it('repeats a section once per list item, with the item names visible inside', () => {
    const source = '{{#items}}[{{^first}}, {{/first}}{{label}} of {{owner}}]{{/items}}';
    const view = {
      owner: 'Acme',
      items: [
        { label: 'a', first: true },
        { label: 'b', first: false },
      ],
    };
    expect(render(source, view)).toBe('[a of Acme][, b of Acme]');
  });

  it('shows an inverted section for an empty list, an unset flag or an empty value', () => {
    const source = '{{^items}}none{{/items}}{{^flag}} off{{/flag}}{{^value}} blank{{/value}}';
    expect(render(source, { items: [], flag: false, value: '' })).toBe('none off blank');
    expect(render(source, { items: [{ x: 'y' }], flag: true, value: 'v' })).toBe('');
  });

  it('drops lines that hold only a section or comment tag', () => {
    const source = 'A\n{{! a note for the editor }}\n{{#items}}\n  - {{v}}\n{{/items}}\nB\n';
    expect(render(source, { items: [{ v: '1' }, { v: '2' }] })).toBe('A\n  - 1\n  - 2\nB\n');
  });

  it('HTML-escapes every value in the HTML part, so script tags and attribute breakouts stay text', () => {
    const html = render('<p title="{{v}}">{{v}}</p>', { v: `${SCRIPT}${ATTRIBUTE_BREAKOUT}` }, 'html');

    expect(html).not.toContain('<script');
    expect(html).not.toContain('"><img');
    expect(html).toBe(
      '<p title="&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;">&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;</p>',
    );
  });

  it('makes a value in href a link only when it is a web or mail address', () => {
    const source = '<a href="{{url}}">{{url}}</a>';
    expect(render(source, { url: 'https://acme.example/verify' }, 'html')).toBe(
      '<a href="https://acme.example/verify">https://acme.example/verify</a>',
    );
    expect(render(source, { url: 'javascript:alert(1)' }, 'html')).toBe(
      '<a href="#">javascript:alert(1)</a>',
    );
  });

  it('keeps CR, LF and control characters out of the subject and caps it at 200 characters', () => {
    const subject = render(
      'Notice: {{vendor}}\n',
      { vendor: 'Metricly\r\nBcc: victim@example.com\u0000' },
      'subject',
    );
    expect(subject).toBe('Notice: Metricly Bcc: victim@example.com');

    const long = render('Notice: {{vendor}}', { vendor: 'x'.repeat(500) }, 'subject');
    expect(long.length).toBeLessThanOrEqual(200);
    expect(long.endsWith('…')).toBe(true);
  });

  it('strips control characters from values in the text part, keeping the template lines', () => {
    const text = render('Hello {{name}},\nBye\n', { name: 'Eve\r\nBcc: x@example.com\u001b[31m' });
    expect(text).toBe('Hello Eve Bcc: x@example.com [31m,\nBye\n');
  });

  it('leaves template syntax inside a value inert', () => {
    const view = { name: '{{secret}} {{#x}}y{{/x}}', secret: 'leaked' };
    expect(render('Hi {{name}}', view)).toBe('Hi {{secret}} {{#x}}y{{/x}}');
    expect(render('<b>{{name}}</b>', view, 'html')).toBe('<b>{{secret}} {{#x}}y{{/x}}</b>');
  });

  it('reports an unclosed section with the file and the line it opens on', () => {
    expect(parseError('line one\n{{#personal}}\ntext\n')).toBe(
      'templates/default/en/text.txt:2: {{#personal}} is never closed',
    );
  });

  it('reports a section closed by the wrong name, or closed without being opened, with its line', () => {
    expect(parseError('{{#a}}\n{{#b}}\n{{/a}}\n{{/b}}')).toMatch(
      /text\.txt:3: \{\{\/a\}\} closes \{\{#b\}\} opened on line 2/,
    );
    expect(parseError('\n\n{{/a}}')).toMatch(
      /text\.txt:3: \{\{\/a\}\} closes a section that was never opened/,
    );
  });

  it('has no unescaped output: triple braces, ampersands and partials are syntax errors', () => {
    for (const source of ['{{{name}}}', '{{&name}}', '{{> partial}}', '{{=<% %>=}}']) {
      expect(parseError(source)).toMatch(/text\.txt:1: .* is not a template tag/);
    }
    expect(parseError('a\nb {{name')).toMatch(/text\.txt:2: "\{\{" is never closed/);
  });

  it('refuses values where HTML escaping is not enough', () => {
    expect(parseError('<a onclick="{{v}}">', 'html')).toMatch(/:1: .*onclick/);
    expect(parseError('<p style="color:{{v}}">', 'html')).toMatch(/:1: .*style/);
    expect(parseError('<p class={{v}}>', 'html')).toMatch(/:1: .*quoted attribute/);
    expect(parseError('\n<script>var x = "{{v}}";</script>', 'html')).toMatch(/:2: .*<script>/);
    expect(parseError('<a href="https://x.example/?q={{v}}">', 'html')).toMatch(/whole address/);
  });
});

describe('checkTemplate', () => {
  const schema: TemplateSchema = {
    name: 'value',
    personal: 'flag',
    items: { label: 'value' },
  };

  it('reports an unknown variable with its file and line instead of rendering it empty', () => {
    const template = parseTemplate(
      'Hello {{name}}\n{{#items}}\n{{lable}}\n{{/items}}\n{{nmae}}',
      'x/text.txt',
      'text',
    );
    expect(checkTemplate(template, schema)).toEqual([
      { file: 'x/text.txt', line: 3, message: 'unknown variable {{lable}}' },
      { file: 'x/text.txt', line: 5, message: 'unknown variable {{nmae}}' },
    ]);
  });

  it('knows list item names only inside their list', () => {
    const template = parseTemplate('{{label}}{{#items}}{{label}}{{/items}}', 'x/text.txt', 'text');
    expect(checkTemplate(template, schema)).toEqual([
      { file: 'x/text.txt', line: 1, message: 'unknown variable {{label}}' },
    ]);
  });

  it('refuses a flag or a list used as a value', () => {
    const template = parseTemplate('{{personal}} {{items}}', 'x/text.txt', 'text');
    expect(checkTemplate(template, schema).map((problem) => problem.message)).toEqual([
      '{{personal}} is a flag: use it as a section',
      '{{items}} is a list: use it as a section',
    ]);
  });
});
