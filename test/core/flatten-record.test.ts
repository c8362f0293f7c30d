import { describe, expect, it } from 'vitest';
import { flattenRecord } from '../../src/core/formats/flatten-record.js';
import type { FlatFields } from '../../src/core/formats/flatten-record.js';

function flat(record: Record<string, unknown>, containers: string[] = [], keyValueLists: string[] = []) {
  const out: FlatFields = { names: [], values: [] };
  flattenRecord(record, { containers, keyValueLists }, out);
  return out.names.map((name, i) => [name, out.values[i]]);
}

describe('flattenRecord', () => {
  it('names nested fields by dotted path and keeps lists whole', () => {
    expect(flat({ a: 1, context: { location: { city: 'Oslo' }, tags: ['x', 'y'] } })).toEqual([
      ['a', 1],
      ['context.location.city', 'Oslo'],
      ['context.tags', ['x', 'y']],
    ]);
  });

  it('reads the members of a container as top-level fields, nested containers too', () => {
    expect(
      flat({ event: 'e', properties: { $os: 'Linux', $set: { email: 'x' } } }, ['properties', '$set']),
    ).toEqual([
      ['event', 'e'],
      ['$os', 'Linux'],
      ['email', 'x'],
    ]);
  });

  it('reads key/value lists by their keys, taking the typed value that is set', () => {
    const params = [
      { key: 'page', value: { string_value: '/home', int_value: null } },
      { key: 'count', value: { string_value: null, int_value: '3' } },
      { key: 'unset', value: { string_value: null } },
      'stray',
    ];
    expect(flat({ event_params: params }, [], ['event_params'])).toEqual([
      ['event_params.page', '/home'],
      ['event_params.count', '3'],
      ['event_params.unset', null],
      ['event_params', 'stray'],
    ]);
  });

  it('has no field for an empty object and stops walking at depth 8', () => {
    const deep = { a: { b: { c: { d: { e: { f: { g: { h: { i: { j: 1 } } } } } } } } } };
    expect(flat({ empty: {}, ...deep })).toEqual([['a.b.c.d.e.f.g.h.i', { j: 1 }]]);
  });

  it('does not walk into __proto__, constructor or prototype keys', () => {
    const record = JSON.parse('{"__proto__":{"x":1},"constructor":{"prototype":{"y":2}}}') as Record<
      string,
      unknown
    >;
    expect(flat(record).map(([name]) => name)).toEqual(['__proto__', 'constructor']);
  });
});
