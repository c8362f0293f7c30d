import { UserError } from './errors.js';
import { escapeHtml, headerSafe } from './escape.js';

/**
 * A deliberately tiny template language: `{{name}}`, `{{#section}}…{{/section}}`,
 * `{{^section}}…{{/section}}` and `{{! comment }}`. There is no unescaped output: every value is
 * escaped for the part it lands in, so a template cannot forget to.
 */
export type TemplateKind = 'subject' | 'text' | 'html';

/** What a template may name: a value, a flag (section only) or a list of items with their own names. */
export type TemplateSchema = { readonly [name: string]: 'value' | 'flag' | TemplateSchema };

/** What a template renders: values are strings, flags booleans, lists arrays of nested views. */
export type TemplateView = { readonly [name: string]: string | boolean | readonly TemplateView[] };

export interface TemplateProblem {
  file: string;
  line: number;
  message: string;
}

/** A template problem as an error the user can act on, naming file and line. */
export class TemplateError extends UserError {
  constructor(readonly problem: TemplateProblem) {
    super(`${problem.file}:${problem.line}: ${problem.message}`);
  }
}

export function isTemplateError(error: unknown): error is TemplateError {
  return error instanceof TemplateError;
}

type HtmlSlot = 'content' | 'attribute' | 'url';

type Node =
  | { readonly kind: 'text'; readonly value: string }
  | { readonly kind: 'var'; readonly name: string; readonly line: number; readonly slot: HtmlSlot }
  | {
      readonly kind: 'section';
      readonly name: string;
      readonly inverted: boolean;
      readonly line: number;
      readonly children: readonly Node[];
    };

export interface Template {
  readonly file: string;
  readonly kind: TemplateKind;
  readonly nodes: readonly Node[];
}

type Token =
  | { kind: 'text'; value: string }
  | { kind: 'var' | 'open' | 'inverted' | 'close' | 'comment'; name: string; line: number };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const STANDALONE = /^[ \t]*$/;

/** Parses a template; a syntax error throws a TemplateError with the file and line. */
export function parseTemplate(source: string, file: string, kind: TemplateKind): Template {
  const tokens = standalone(tokenize(source, file));
  const root: Node[] = [];
  const stack: { name: string; inverted: boolean; line: number; children: Node[] }[] = [];
  const slots = kind === 'html' ? htmlSlots(tokens, file) : new Map<Token, HtmlSlot>();
  for (const token of tokens) {
    const children = stack[stack.length - 1]?.children ?? root;
    switch (token.kind) {
      case 'text':
        if (token.value !== '') children.push({ kind: 'text', value: token.value });
        break;
      case 'comment':
        break;
      case 'var':
        children.push({
          kind: 'var',
          name: token.name,
          line: token.line,
          slot: slots.get(token) ?? 'content',
        });
        break;
      case 'open':
      case 'inverted':
        stack.push({ name: token.name, inverted: token.kind === 'inverted', line: token.line, children: [] });
        break;
      case 'close': {
        const open = stack.pop();
        if (open === undefined)
          fail(file, token.line, `{{/${token.name}}} closes a section that was never opened`);
        if (open.name !== token.name) {
          fail(file, token.line, `{{/${token.name}}} closes {{#${open.name}}} opened on line ${open.line}`);
        }
        (stack[stack.length - 1]?.children ?? root).push({ kind: 'section', ...open });
        break;
      }
    }
  }
  const unclosed = stack.pop();
  if (unclosed !== undefined) fail(file, unclosed.line, `{{#${unclosed.name}}} is never closed`);
  return { file, kind, nodes: root };
}

function tokenize(source: string, file: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  let line = 1;
  for (;;) {
    const start = source.indexOf('{{', at);
    if (start < 0) {
      tokens.push({ kind: 'text', value: source.slice(at) });
      return tokens;
    }
    const text = source.slice(at, start);
    tokens.push({ kind: 'text', value: text });
    line += count(text, '\n');
    const end = source.indexOf('}}', start + 2);
    if (end < 0) fail(file, line, '"{{" is never closed with "}}"');
    const inner = source.slice(start + 2, end);
    tokens.push(tag(inner, file, line));
    line += count(inner, '\n');
    at = end + 2;
  }
}

function tag(inner: string, file: string, line: number): Token {
  const sigil = inner.charAt(0);
  if (sigil === '!') return { kind: 'comment', name: '', line };
  const kinds = { '#': 'open', '^': 'inverted', '/': 'close' } as const;
  const kind = sigil in kinds ? kinds[sigil as keyof typeof kinds] : 'var';
  const name = (kind === 'var' ? inner : inner.slice(1)).trim();
  if (!NAME.test(name)) {
    fail(
      file,
      line,
      `{{${inner}}} is not a template tag: use {{name}}, {{#name}}…{{/name}}, {{^name}}…{{/name}} or {{! comment}} (there is no unescaped output)`,
    );
  }
  return { kind, name, line };
}

// A line holding only a section or comment tag disappears whole, so sections do not leave blank lines.
function standalone(tokens: Token[]): Token[] {
  let previousStandalone = true;
  for (let i = 1; i < tokens.length - 1; i += 2) {
    const tagToken = tokens[i]!;
    const before = tokens[i - 1] as { kind: 'text'; value: string };
    const after = tokens[i + 1] as { kind: 'text'; value: string };
    const lineStart = before.value.lastIndexOf('\n') + 1;
    const atLineStart = lineStart > 0 || previousStandalone;
    previousStandalone = false;
    if (tagToken.kind === 'var' || tagToken.kind === 'text') continue;
    const newline = after.value.indexOf('\n');
    const lineEnd = newline < 0 && i + 1 === tokens.length - 1 ? after.value.length : newline;
    if (!atLineStart || lineEnd < 0) continue;
    if (!STANDALONE.test(before.value.slice(lineStart)) || !STANDALONE.test(after.value.slice(0, lineEnd))) {
      continue;
    }
    before.value = before.value.slice(0, lineStart);
    after.value = after.value.slice(newline < 0 ? lineEnd : lineEnd + 1);
    previousStandalone = true;
  }
  return tokens;
}

type HtmlState = 'data' | 'tag' | 'dq' | 'sq' | 'comment' | 'raw';
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'background', 'poster', 'cite']);

/** Where each `{{name}}` of an HTML template lands; a place where escaping is not enough is an error. */
function htmlSlots(tokens: readonly Token[], file: string): Map<Token, HtmlSlot> {
  const slots = new Map<Token, HtmlSlot>();
  let state: HtmlState = 'data';
  let attribute = '';
  let valueStart = true;
  let rawEnd = '';
  for (const token of tokens) {
    if (token.kind === 'text') {
      for (let i = 0; i < token.value.length; i++) {
        const rest = token.value.slice(i);
        const char = token.value.charAt(i);
        if (state === 'data') {
          if (rest.startsWith('<!--')) state = 'comment';
          else if (/^<\/?[A-Za-z!]/.test(rest)) {
            state = 'tag';
            const name = /^<([A-Za-z]+)/.exec(rest)?.[1]?.toLowerCase();
            rawEnd = name === 'script' || name === 'style' ? `</${name}` : '';
          }
        } else if (state === 'comment') {
          if (rest.startsWith('-->')) state = 'data';
        } else if (state === 'raw') {
          if (rest.toLowerCase().startsWith(rawEnd)) state = 'tag';
        } else if (state === 'tag') {
          if (char === '>') state = rawEnd === '' ? 'data' : 'raw';
          else if (char === '"' || char === "'") {
            attribute =
              /([A-Za-z:-]+)\s*=\s*$/.exec(token.value.slice(0, i))?.[1]?.toLowerCase() ?? attribute;
            state = char === '"' ? 'dq' : 'sq';
            valueStart = true;
            continue;
          }
        } else if ((state === 'dq' && char === '"') || (state === 'sq' && char === "'")) state = 'tag';
        valueStart = false;
      }
    } else if (token.kind === 'var') {
      slots.set(token, slotOf(state, attribute, valueStart, file, token.line));
      valueStart = false;
    }
  }
  return slots;
}

function slotOf(
  state: HtmlState,
  attribute: string,
  valueStart: boolean,
  file: string,
  line: number,
): HtmlSlot {
  switch (state) {
    case 'data':
      return 'content';
    case 'dq':
    case 'sq':
      if (attribute === 'style' || attribute.startsWith('on')) {
        return fail(
          file,
          line,
          `a value cannot go inside the ${attribute} attribute, where escaping is not enough`,
        );
      }
      if (URL_ATTRIBUTES.has(attribute)) {
        if (!valueStart) return fail(file, line, `a value in ${attribute} must be the whole address`);
        return 'url';
      }
      return 'attribute';
    case 'tag':
      return fail(file, line, 'a value inside a tag must be in a quoted attribute value');
    case 'comment':
    case 'raw':
      return fail(file, line, 'a value cannot go inside an HTML comment, <script> or <style>');
  }
}

/** Every name the template uses that the schema does not offer where it is used. */
export function checkTemplate(template: Template, schema: TemplateSchema): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const visit = (nodes: readonly Node[], scopes: readonly TemplateSchema[]) => {
    for (const node of nodes) {
      if (node.kind === 'text') continue;
      const found = lookup(scopes, node.name);
      const problem = (message: string) => problems.push({ file: template.file, line: node.line, message });
      if (found === undefined) {
        problem(`unknown variable {{${node.name}}}`);
      } else if (node.kind === 'var' && found !== 'value') {
        problem(`{{${node.name}}} is a ${found === 'flag' ? 'flag' : 'list'}: use it as a section`);
      } else if (node.kind === 'section') {
        visit(node.children, typeof found === 'object' && !node.inverted ? [found, ...scopes] : scopes);
      }
    }
  };
  visit(template.nodes, [schema]);
  return problems;
}

function lookup<T>(scopes: readonly { readonly [name: string]: T }[], name: string): T | undefined {
  for (const scope of scopes) if (Object.hasOwn(scope, name)) return scope[name];
  return undefined;
}

const MAX_SUBJECT_LENGTH = 200;

/** Renders with every value escaped for the template's kind; a subject comes out one line of at most 200 characters. */
export function renderTemplate(template: Template, view: TemplateView): string {
  const out: string[] = [];
  const visit = (nodes: readonly Node[], scopes: readonly TemplateView[]) => {
    for (const node of nodes) {
      if (node.kind === 'text') {
        out.push(node.value);
        continue;
      }
      const value = lookup(scopes, node.name);
      if (value === undefined) fail(template.file, node.line, `unknown variable {{${node.name}}}`);
      if (node.kind === 'var') {
        if (typeof value !== 'string') fail(template.file, node.line, `{{${node.name}}} is not a value`);
        out.push(escapeValue(value, template.kind, node.slot));
      } else if (Array.isArray(value)) {
        const items = value as readonly TemplateView[];
        if (node.inverted && items.length === 0) visit(node.children, scopes);
        if (!node.inverted) for (const item of items) visit(node.children, [item, ...scopes]);
      } else if ((value !== '' && value !== false) !== node.inverted) {
        visit(node.children, scopes);
      }
    }
  };
  visit(template.nodes, [view]);
  const rendered = out.join('');
  return template.kind === 'subject' ? truncate(headerSafe(rendered), MAX_SUBJECT_LENGTH) : rendered;
}

function escapeValue(value: string, kind: TemplateKind, slot: HtmlSlot): string {
  switch (kind) {
    case 'subject':
    case 'text':
      return headerSafe(value);
    case 'html':
      // Only web and mail addresses may become links; anything else (javascript:, data:) goes nowhere.
      if (slot === 'url' && !/^(https?:\/\/|mailto:)/i.test(value.trim())) return '#';
      return escapeHtml(headerSafe(value));
  }
}

function truncate(value: string, max: number): string {
  if (value.length <= max) return value;
  let kept = '';
  for (const char of value) {
    if (kept.length + char.length > max - 1) break;
    kept += char;
  }
  return `${kept.trimEnd()}…`;
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

function fail(file: string, line: number, message: string): never {
  throw new TemplateError({ file, line, message });
}
