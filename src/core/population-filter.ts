import { printableName } from './escape.js';
import { UserError } from './errors.js';

/** Columns of the account table a filter may name; any other name is a key of its `attributes`. */
export const ACCOUNT_FILTER_COLUMNS = ['id', 'email', 'name', 'status', 'locale'] as const;

/** One condition on an account: `=` is `in` with one value, `!=` is `not_in` with one value. */
export interface PopulationClause {
  column: string;
  op: 'in' | 'not_in';
  values: string[];
}

/** All clauses must hold; no clauses means every account. */
export type PopulationFilter = readonly PopulationClause[];

const MAX_CLAUSES = 20;
const MAX_VALUES = 500;
const COLUMN = /^[a-z_][a-z0-9_.-]{0,63}$/;
// Characters a bare value may not contain: they separate or quote.
const SEPARATORS = new Set([',', ';', '(', ')', '"', "'", '=', '!']);

type SymbolText = '=' | '!=' | '(' | ')' | ',' | ';';
const SYMBOLS = new Set(['=', '(', ')', ',', ';']);

type Token =
  | { kind: 'word'; text: string; at: number }
  | { kind: 'quoted'; text: string; at: number }
  | { kind: 'symbol'; text: SymbolText; at: number };

/**
 * Parses `country in (DE, FR); plan = enterprise; status != deleted`. Values are bare words (inner
 * spaces kept, ends trimmed) or quoted with `"` or `'` (a quote doubled inside stands for itself).
 * `all` or an empty text means every account. `flag` names the source in errors.
 */
export function parsePopulation(text: string, flag = '--population'): PopulationFilter {
  if (text.trim() === '' || text.trim().toLowerCase() === 'all') return [];
  const tokens = tokenize(text, flag);
  const fail = (message: string, at: number | undefined): never => {
    throw new UserError(`${flag}: ${message} at character ${(at ?? text.length) + 1}`);
  };
  const clauses: PopulationClause[] = [];
  let index = 0;
  const value = (after: string): string => {
    const token = tokens[index++];
    if (token === undefined || token.kind === 'symbol')
      return fail(`expected a value after ${after}`, token?.at);
    return token.text;
  };
  while (index < tokens.length) {
    const head = tokens[index++]!;
    const op = tokens[index++];
    if (head.kind !== 'word') return fail('expected a column name', head.at);
    if (op?.kind !== 'symbol' || !['=', '!=', '('].includes(op.text)) {
      return fail(`expected =, !=, in (…) or not in (…) after "${printableName(head.text)}"`, op?.at);
    }
    const words = op.text === '(' ? /^(\S+)\s+(not\s+)?in$/i.exec(head.text) : [head.text, head.text];
    if (words === null) return fail(`expected "COLUMN in (…)" or "COLUMN not in (…)"`, head.at);
    const column = words[1]!.toLowerCase();
    if (!COLUMN.test(column)) {
      return fail(`"${printableName(words[1]!)}" is not a column name (letters, digits, _ . -)`, head.at);
    }
    let clause: PopulationClause;
    if (op.text === '(') {
      const values = [value('"("')];
      for (;;) {
        const separator = tokens[index++];
        if (separator?.kind === 'symbol' && separator.text === ')') break;
        if (separator?.kind !== 'symbol' || separator.text !== ',') {
          return fail('expected "," or ")" in the list', separator?.at);
        }
        values.push(value('","'));
      }
      if (values.length > MAX_VALUES) return fail(`a list holds at most ${MAX_VALUES} values`, op.at);
      clause = { column, op: words[2] === undefined ? 'in' : 'not_in', values: [...new Set(values)] };
    } else {
      clause = { column, op: op.text === '=' ? 'in' : 'not_in', values: [value(`"${op.text}"`)] };
    }
    clauses.push(clause);
    if (clauses.length > MAX_CLAUSES) return fail(`at most ${MAX_CLAUSES} conditions`, head.at);
    const end = tokens[index];
    if (end === undefined) break;
    if (end.kind !== 'symbol' || end.text !== ';') return fail('expected ";" between conditions', end.at);
    index += 1;
  }
  return clauses;
}

function tokenize(text: string, flag: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (/\s/.test(char)) {
      i += 1;
    } else if (char === '"' || char === "'") {
      const start = i;
      let value = '';
      i += 1;
      for (;;) {
        if (i >= text.length) {
          throw new UserError(`${flag}: unterminated ${char} quote starting at character ${start + 1}`);
        }
        if (text[i] === char && text[i + 1] === char) {
          value += char;
          i += 2;
        } else if (text[i] === char) {
          i += 1;
          break;
        } else {
          value += text[i];
          i += 1;
        }
      }
      tokens.push({ kind: 'quoted', text: value, at: start });
    } else if (char === '!') {
      if (text[i + 1] !== '=')
        throw new UserError(`${flag}: "!" must be followed by "=" at character ${i + 1}`);
      tokens.push({ kind: 'symbol', text: '!=', at: i });
      i += 2;
    } else if (SYMBOLS.has(char)) {
      tokens.push({ kind: 'symbol', text: char as SymbolText, at: i });
      i += 1;
    } else {
      const start = i;
      while (i < text.length && !SEPARATORS.has(text[i]!)) i += 1;
      tokens.push({ kind: 'word', text: text.slice(start, i).trim(), at: start });
    }
  }
  return tokens;
}

/** The canonical text of a filter: parsing it gives the same filter back. */
export function formatPopulation(filter: PopulationFilter): string {
  if (filter.length === 0) return 'all';
  return filter
    .map((clause) => {
      const values = clause.values.map(quoteValue);
      if (values.length === 1) return `${clause.column} ${clause.op === 'in' ? '=' : '!='} ${values[0]}`;
      return `${clause.column} ${clause.op === 'in' ? 'in' : 'not in'} (${values.join(', ')})`;
    })
    .join('; ');
}

function quoteValue(value: string): string {
  const bare =
    value.length > 0 &&
    value.trim() === value &&
    ![...value].some((char) => SEPARATORS.has(char)) &&
    !/^(in|not)$/i.test(value);
  return bare ? value : `"${value.replace(/"/g, '""')}"`;
}

/** Whether a clause names a column of the account table rather than one of its attributes. */
export function isAccountColumn(column: string): column is (typeof ACCOUNT_FILTER_COLUMNS)[number] {
  return (ACCOUNT_FILTER_COLUMNS as readonly string[]).includes(column);
}
