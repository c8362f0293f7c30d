import { describe, expect, it } from 'vitest';
import { parseMapOption, parseMappingJson } from '../../src/core/field-mapping.js';

const VALID =
  'identifier, name, email, phone, location, precise_location, ip_address, device, referrer, usage, address, birth_date, credentials, api_key, payment, government_id, health, content';

describe('parseMapOption', () => {
  it('reads field=category pairs, dotted paths included, ignoring blanks and spaces', () => {
    expect(parseMapOption(' plan=usage, context.location.city = location ,,')).toEqual(
      new Map([
        ['plan', 'usage'],
        ['context.location.city', 'location'],
      ]),
    );
  });

  it('splits an entry at its last equals sign', () => {
    expect(parseMapOption('a=b=name')).toEqual(new Map([['a=b', 'name']]));
  });

  it('rejects an entry that is not field=category, naming it', () => {
    for (const text of ['plan', '=usage', 'plan=']) {
      expect(() => parseMapOption(text)).toThrow(`--map: "${text}" is not field=category`);
    }
  });

  it('rejects an unknown category, naming the field and listing the valid ones', () => {
    expect(() => parseMapOption('plan=pricing')).toThrow(
      expect.objectContaining({
        message: '--map: field "plan" has unknown category "pricing"',
        context: { valid: VALID },
      }),
    );
  });
});

describe('parseMappingJson', () => {
  it('reads an object of field to category', () => {
    expect(parseMappingJson('{"plan": "usage", "traits.company.name": "content"}', 'm.json')).toEqual(
      new Map([
        ['plan', 'usage'],
        ['traits.company.name', 'content'],
      ]),
    );
  });

  it.each([
    ['not JSON', '{plan', 'mapping file m.json is not valid JSON'],
    ['a list', '["plan"]', 'mapping file m.json must hold a JSON object of "field": "category"'],
    [
      'a number for a category',
      '{"plan": 3}',
      'mapping file m.json: field "plan" must map to a category name',
    ],
    [
      'an unknown category',
      '{"plan": "pricing"}',
      'mapping file m.json: field "plan" has unknown category "pricing"',
    ],
    ['an empty field name', '{" ": "usage"}', 'mapping file m.json: a field name is empty'],
  ])('rejects %s, naming the file and entry', (_, text, message) => {
    expect(() => parseMappingJson(text, 'm.json')).toThrow(message);
  });

  it('keeps a __proto__ key as an ordinary field', () => {
    expect(parseMappingJson('{"__proto__": "content"}', 'm.json')).toEqual(
      new Map([['__proto__', 'content']]),
    );
    expect(({} as Record<string, unknown>).content).toBeUndefined();
  });
});
