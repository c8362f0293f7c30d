import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../src/core/categories.js';
import type { Category } from '../../src/core/categories.js';
import { FieldRoles } from '../../src/core/formats/field-roles.js';
import type { FormatName } from '../../src/core/formats/format-spec.js';
import { FORMAT_SPECS } from '../../src/core/formats/format-specs.js';
import { MIXPANEL_PEOPLE } from '../../src/core/formats/mixpanel-people.js';
import { createRecordReader } from '../../src/core/profile-record.js';
import type { ProfileFields, ProfileRecordResult } from '../../src/core/profile-record.js';

const ORG_KEYS = ['org_id', 'organization_id'];

function toExposedRecord(raw: unknown, orgKeys: readonly string[]): ProfileRecordResult {
  return createRecordReader({ format: MIXPANEL_PEOPLE, orgKeys }).read(raw);
}

function mixpanelFieldCategory(name: string, orgKeys: readonly string[] = []): Category | null {
  return new FieldRoles(MIXPANEL_PEOPLE, MIXPANEL_PEOPLE.identity, orgKeys, new Map()).of(name).category;
}

function fieldsOf(raw: unknown): ProfileFields {
  const result = toExposedRecord(raw, ORG_KEYS);
  if (!result.ok) throw new Error(`expected a valid record, got: ${result.reason}`);
  return result.record;
}

describe('reading a Mixpanel profile', () => {
  it('reads an engage profile with its properties under $properties', () => {
    const raw = {
      $distinct_id: 'u1',
      $properties: {
        $email: 'ada@example.com',
        $name: 'Ada Lovelace',
        $city: 'London',
        $browser: 'Firefox',
      },
    };
    expect(fieldsOf(raw)).toEqual({
      userId: 'u1',
      email: 'ada@example.com',
      organizationIds: [],
      country: null,
      region: null,
      categories: ['identifier', 'name', 'email', 'location', 'device'],
      unknownFields: [],
      values: raw,
    });
  });

  it('reads a data-pipeline record with distinct_id and properties', () => {
    const fields = fieldsOf({
      distinct_id: 'u2',
      properties: { email: 'bob@example.com', utm_source: 'ad' },
    });
    expect(fields).toMatchObject({ userId: 'u2', email: 'bob@example.com' });
    expect(fields.categories).toEqual(['identifier', 'email', 'referrer']);
  });

  it('reads a flattened record with the properties at top level', () => {
    const fields = fieldsOf({ $distinct_id: 'u3', $email: 'cy@example.com', $phone: '+44 20 7946 0000' });
    expect(fields.categories).toEqual(['identifier', 'email', 'phone']);
  });

  it('turns a numeric $distinct_id into a string', () => {
    expect(fieldsOf({ $distinct_id: 12345, $properties: {} }).userId).toBe('12345');
  });

  it('quarantines a numeric id too large to have been read exactly, naming the field', () => {
    expect(toExposedRecord(JSON.parse('{"$distinct_id": 12345678901234567890}'), ORG_KEYS)).toEqual({
      ok: false,
      reason: 'numeric identifier is too large to be read exactly',
      field: '$distinct_id',
    });
  });

  it('takes the first non-empty user id key, trimmed', () => {
    expect(
      fieldsOf({ $distinct_id: '  ', distinct_id: null, $user_id: ' u4 ', user_id: 'later' }).userId,
    ).toBe('u4');
    expect(fieldsOf({ userId: 'u5' }).userId).toBe('u5');
    expect(fieldsOf({ $distinct_id: true, $email: 'x@example.com' }).userId).toBeNull();
  });

  it('accepts a record identified only by its email', () => {
    expect(fieldsOf({ $email: ' ada@example.com ' })).toMatchObject({
      userId: null,
      email: 'ada@example.com',
    });
  });

  it('quarantines a record with neither user id, email nor organization id', () => {
    expect(toExposedRecord({ $properties: { $name: 'Nobody' } }, ORG_KEYS)).toEqual({
      ok: false,
      reason: 'no identity key ($distinct_id or distinct_id, email or organization id)',
    });
  });

  it('keeps a record that only carries an organization id, so its organization is impacted', () => {
    expect(toExposedRecord({ $properties: { $name: 'Bob', org_id: 'o1' } }, ORG_KEYS)).toMatchObject({
      ok: true,
      record: { userId: null, email: null, organizationIds: ['o1'] },
    });
  });

  it.each(['https://evil.example/reset?u=x@evil.com', 'a,b@y.com', 'x@localhost', 'x@evil.com\u202e'])(
    'does not take %j as an address',
    (email) => {
      expect(fieldsOf({ $distinct_id: 'u1', $email: email }).email).toBeNull();
    },
  );

  it.each([null, [], 'a string', 42, true])('quarantines %j as not a JSON object', (raw) => {
    expect(toExposedRecord(raw, ORG_KEYS)).toEqual({ ok: false, reason: 'not a JSON object' });
  });

  it.each([
    ['two @', 'a@b@example.com'],
    ['no local part', '@example.com'],
    ['no domain', 'ada@'],
    ['inner whitespace', 'ada lovelace@example.com'],
    ['a header injection', 'ada@example.com\r\nBcc: all@example.com'],
    ['a control character', 'ada\u0000@example.com'],
    ['a bidi override', 'ada\u202e@example.com'],
    ['more than 254 characters', `${'a'.repeat(250)}@example.com`],
  ])('keeps the email category but no address for an email with %s', (_, email) => {
    const fields = fieldsOf({ $distinct_id: 'u1', $email: email });
    expect(fields.email).toBeNull();
    expect(fields.categories).toContain('email');
  });

  it('falls back to the email key when $email is implausible', () => {
    expect(fieldsOf({ $distinct_id: 'u1', $email: 'not an email', email: 'ada@example.com' }).email).toBe(
      'ada@example.com',
    );
  });

  it('collects organization ids from scalar, list and $groups values, distinct and sorted', () => {
    const fields = fieldsOf({
      $distinct_id: 'u1',
      $properties: {
        org_id: 'org-b',
        organization_id: ['org-a', 7, '', 'org-b'],
        $groups: { org_id: 'org-c', organization_id: ['org-d', ' org-a '], project_id: 'p-200' },
      },
    });
    expect(fields.organizationIds).toEqual(['7', 'org-a', 'org-b', 'org-c', 'org-d']);
    expect(fields.categories).toEqual(['identifier']);
  });

  it('uses the org keys the caller configures', () => {
    const result = toExposedRecord({ $distinct_id: 'u1', company_id: ['c1', 'c2'], org_id: 'ignored' }, [
      'company_id',
    ]);
    expect(result).toMatchObject({
      ok: true,
      record: { organizationIds: ['c1', 'c2'], unknownFields: ['org_id'] },
    });
  });

  it('does not count a category whose values are all empty', () => {
    const fields = fieldsOf({
      $distinct_id: 'u1',
      $properties: {
        $email: '',
        $name: '   ',
        $city: null,
        $phone: [],
        $avatar: {},
        $os: [' ', null],
        $groups: { company: null },
      },
    });
    expect(fields.categories).toEqual(['identifier']);
  });

  it('does not count $direct as a referrer, it means there was none', () => {
    const direct = fieldsOf({
      $distinct_id: 'u1',
      $initial_referrer: '$direct',
      $initial_referring_domain: '$direct',
    });
    expect(direct.categories).toEqual(['identifier']);
    const referred = fieldsOf({ $distinct_id: 'u1', $initial_referrer: 'https://news.example/' });
    expect(referred.categories).toEqual(['identifier', 'referrer']);
  });

  it('lists unknown fields sorted and distinct, without the property container itself', () => {
    const fields = fieldsOf({ $distinct_id: 'u1', plan: 'pro', $properties: { plan: 'team', Aardvark: 1 } });
    expect(fields.unknownFields).toEqual(['Aardvark', 'plan']);
  });

  it('orders categories as CATEGORIES does', () => {
    const fields = fieldsOf({
      $avatar: 'https://cdn.example/a.png',
      $created: '2024-01-01',
      $ip: '192.0.2.1',
      $latitude: 51.5,
      $email: 'ada@example.com',
    });
    const order = (category: Category): number => CATEGORIES.indexOf(category);
    expect(fields.categories).toEqual(['email', 'precise_location', 'ip_address', 'usage', 'content']);
    expect([...fields.categories].sort((a, b) => order(a) - order(b))).toEqual(fields.categories);
  });

  it('treats __proto__ and constructor keys as ordinary unknown fields', () => {
    const raw: unknown = JSON.parse(
      '{"$distinct_id":"u1","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},' +
        '"$properties":{"__proto__":{"$email":"x@example.com"},"hasOwnProperty":1}}',
    );
    const fields = fieldsOf(raw);
    expect(fields.unknownFields).toEqual(['__proto__', 'constructor', 'hasOwnProperty']);
    expect(fields.email).toBeNull();
    expect(fields.categories).toEqual(['identifier']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('ignores a constructor org key that the record does not carry', () => {
    expect(fieldsOf({ $distinct_id: 'u1' }).organizationIds).toEqual([]);
    const result = toExposedRecord({ $distinct_id: 'u1' }, ['constructor', '__proto__']);
    expect(result).toMatchObject({ ok: true, record: { organizationIds: [] } });
  });
});

describe('Mixpanel property categories', () => {
  it.each<[Category, string[]]>([
    ['identifier', ['$distinct_id', 'distinct_id', '$user_id', 'user_id', 'userId', '$device_id']],
    ['name', ['$name', '$first_name', '$last_name', 'name', 'first_name', 'last_name']],
    ['email', ['$email', 'email']],
    ['phone', ['$phone', 'phone']],
    [
      'location',
      [
        '$city',
        '$region',
        '$country_code',
        'mp_country_code',
        '$timezone',
        '$geo_source',
        'country',
        'timezone',
      ],
    ],
    ['precise_location', ['$latitude', '$longitude']],
    ['ip_address', ['$ip', 'ip']],
    [
      'device',
      [
        '$os',
        '$browser',
        '$browser_version',
        '$device',
        '$model',
        '$manufacturer',
        '$screen_height',
        '$carrier',
      ],
    ],
    [
      'device',
      ['$android_os_version', '$ios_ifa', '$app_version', '$app_version_string', '$radio', '$lib_version'],
    ],
    [
      'referrer',
      ['$initial_referrer', '$initial_referring_domain', 'initial_utm_source', 'utm_campaign', '$referrer'],
    ],
    [
      'referrer',
      ['$referring_domain', '$current_url', '$search_engine', 'mp_keyword', 'gclid', 'fbclid', 'gbraid'],
    ],
    ['usage', ['$created', '$last_seen', '$insert_id', '$mp_api_endpoint']],
    ['content', ['$avatar']],
  ])('maps the %s properties', (category, names) => {
    for (const name of names) expect([name, mixpanelFieldCategory(name)]).toEqual([name, category]);
  });

  it('maps configured org keys to identifier and leaves unknown properties unmapped', () => {
    expect(mixpanelFieldCategory('company_id', ['company_id'])).toBe('identifier');
    expect(mixpanelFieldCategory('company_id')).toBeNull();
    expect(mixpanelFieldCategory('constructor')).toBeNull();
    expect(mixpanelFieldCategory('__proto__')).toBeNull();
    expect(mixpanelFieldCategory('$EMAIL')).toBeNull();
  });
});

describe('reading records of other formats', () => {
  const reader = (name: FormatName, orgKeys: readonly string[] = ORG_KEYS) =>
    createRecordReader({ format: FORMAT_SPECS[name], orgKeys });

  it('takes the first usable id of a list of ids', () => {
    const result = reader('posthog').read({ distinct_ids: ['', 'u1', 'u2'], properties: {} });
    expect(result).toMatchObject({ ok: true, record: { userId: 'u1' } });
  });

  it('does not take the email of a Segment group call, whose traits are the group’s', () => {
    const result = reader('segment').read({
      type: 'group',
      userId: 'u1',
      groupId: 'g1',
      traits: { email: 'billing@acme.example' },
    });
    expect(result).toMatchObject({
      ok: true,
      record: { userId: 'u1', email: null, organizationIds: ['g1'] },
    });
  });

  it('quarantines a group profile without an organization id, saying so', () => {
    expect(reader('mixpanel-groups').read({ $properties: { $name: 'Acme' } })).toEqual({
      ok: false,
      reason: 'no organization id ($distinct_id or $group_id)',
    });
  });

  it('lets the mapping override the format table and name unknown fields', () => {
    const mapped = createRecordReader({
      format: FORMAT_SPECS['mixpanel-people'],
      orgKeys: ORG_KEYS,
      mapping: new Map<string, Category>([
        ['$city', 'precise_location'],
        ['plan', 'payment'],
      ]),
    });
    expect(mapped.read({ $distinct_id: 'u1', $city: 'Oslo', plan: 'pro' })).toMatchObject({
      ok: true,
      record: { categories: ['identifier', 'precise_location', 'payment'], unknownFields: [] },
    });
  });

  it('describes every field with its category and whether it holds a value', () => {
    expect(
      reader('mixpanel-people').describe({
        $distinct_id: 'u1',
        $properties: { $email: ' ', plan: 'pro', $referrer: '$direct' },
      }),
    ).toEqual([
      { name: '$distinct_id', category: 'identifier', filled: true },
      { name: '$email', category: 'email', filled: false },
      { name: 'plan', category: null, filled: true },
      { name: '$referrer', category: 'referrer', filled: false },
    ]);
  });
});
