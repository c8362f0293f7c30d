import { describe, expect, it } from 'vitest';
import { isCategory } from '../../src/core/categories.js';
import type { Category } from '../../src/core/categories.js';
import { detectFormat } from '../../src/core/formats/detect-format.js';
import { FieldRoles } from '../../src/core/formats/field-roles.js';
import { FORMAT_NAMES, looseName } from '../../src/core/formats/format-spec.js';
import type { FormatSpec } from '../../src/core/formats/format-spec.js';
import { FORMAT_SPECS } from '../../src/core/formats/format-specs.js';

const SPECS = Object.values(FORMAT_SPECS);

function categoryOf(spec: FormatSpec, name: string): Category | null {
  return new FieldRoles(spec, spec.identity, [], new Map()).of(name).category;
}

describe('format specs', () => {
  it('has one spec per format name, under its own name', () => {
    expect(Object.keys(FORMAT_SPECS).sort()).toEqual([...FORMAT_NAMES].sort());
    for (const [name, spec] of Object.entries(FORMAT_SPECS)) expect(spec.name).toBe(name);
  });

  it.each(SPECS.map((spec) => [spec.name, spec] as const))(
    '%s maps every listed field to exactly one category',
    (_, spec) => {
      const seen = new Map<string, Category>();
      const key = (name: string): string => (spec.looseNames ? looseName(name) : name);
      for (const [category, names] of spec.fields.names) {
        expect(isCategory(category)).toBe(true);
        for (const name of names) {
          expect([name, seen.get(key(name)) ?? category]).toEqual([name, category]);
          seen.set(key(name), category);
        }
      }
      for (const [, category] of spec.fields.prefixes) expect(isCategory(category)).toBe(true);
    },
  );

  it.each(SPECS.map((spec) => [spec.name, spec] as const))(
    '%s classifies its own identity paths',
    (_, spec) => {
      const { userIds, emails, organizationIds } = spec.identity;
      for (const name of [...userIds, ...organizationIds])
        expect([name, categoryOf(spec, name)]).toEqual([name, 'identifier']);
      for (const name of emails) expect([name, categoryOf(spec, name)]).toEqual([name, 'email']);
    },
  );

  it('puts exact names before prefixes, and a longer prefix before a shorter one', () => {
    const mixpanel = FORMAT_SPECS['mixpanel-people'];
    expect(categoryOf(mixpanel, 'mp_lib')).toBe('device');
    expect(categoryOf(mixpanel, 'mp_processing_time_ms')).toBe('usage');
    expect(categoryOf(mixpanel, 'initial_utm_source')).toBe('referrer');
    const segment = FORMAT_SPECS.segment;
    expect(categoryOf(segment, 'context.location.latitude')).toBe('precise_location');
    expect(categoryOf(segment, 'context.location.city')).toBe('location');
    expect(categoryOf(segment, 'context.device.advertisingId')).toBe('identifier');
    expect(categoryOf(segment, 'context.device.model')).toBe('device');
  });

  it('matches CSV labels and API names alike where names are loose', () => {
    const salesforce = FORMAT_SPECS.salesforce;
    for (const name of ['MailingCity', 'MAILINGCITY', 'Mailing City'])
      expect(categoryOf(salesforce, name)).toBe('location');
    expect(categoryOf(FORMAT_SPECS.hubspot, 'Country/Region')).toBe('location');
    expect(categoryOf(FORMAT_SPECS['mixpanel-people'], '$EMAIL')).toBeNull();
  });

  it('lets the generic format fall back on the last segment of a dotted path', () => {
    expect(categoryOf(FORMAT_SPECS.generic, 'billing.Postal Code')).toBe('address');
    expect(categoryOf(FORMAT_SPECS.segment, 'nested.email')).toBeNull();
  });
});

describe('field roles', () => {
  const spec = FORMAT_SPECS.generic;

  it('puts the mapping first, then org keys, then the format table', () => {
    const roles = new FieldRoles(spec, spec.identity, ['team_ref'], new Map([['City', 'precise_location']]));
    expect(roles.of('City').category).toBe('precise_location');
    expect(roles.of('city').category).toBe('precise_location');
    expect(roles.of('team_ref')).toEqual({
      category: 'identifier',
      userRank: -1,
      emailRank: -1,
      countryRank: -1,
      regionRank: -1,
      organization: true,
    });
    expect(roles.of('Email')).toEqual({
      category: 'email',
      userRank: -1,
      emailRank: 0,
      countryRank: -1,
      regionRank: -1,
      organization: false,
    });
    expect(roles.of('Country Code').countryRank).toBe(0);
    expect(roles.of('State').regionRank).toBe(1);
    expect(roles.of('User ID').userRank).toBe(0);
    expect(roles.of('id').userRank).toBe(1);
  });

  it('finds org keys inside group containers only under configured keys', () => {
    const posthog = FORMAT_SPECS.posthog;
    const roles = new FieldRoles(posthog, posthog.identity, ['organization'], new Map());
    expect(roles.of('$groups.organization').organization).toBe(true);
    expect(roles.of('$groups.project')).toMatchObject({ organization: false, category: 'identifier' });
  });
});

describe('detectFormat', () => {
  it('reads a sample that fits nothing, or no sample, as generic', () => {
    expect(detectFormat([])).toBe('generic');
    expect(detectFormat([{ colour: 'red' }, { size: 9 }])).toBe('generic');
  });

  it('picks the format most of the sample fits', () => {
    const segment = { type: 'track', userId: 'u1', event: 'x' };
    const people = { $distinct_id: 'u1', $properties: {} };
    expect(detectFormat([segment, segment, people])).toBe('segment');
    expect(detectFormat([people, people, segment])).toBe('mixpanel-people');
  });

  it('needs a good share of the sample before it names a format', () => {
    const sample = [{ $distinct_id: 'u1' }, ...Array.from({ length: 9 }, () => ({ id: 1 }))];
    expect(detectFormat(sample)).toBe('generic');
  });

  it('tells vendors with look-alike events apart', () => {
    expect(detectFormat([{ event: 'a', properties: { time: 1, distinct_id: 'u' } }])).toBe('mixpanel-events');
    expect(detectFormat([{ event: 'a', distinct_id: 'u', uuid: 'e', properties: { time: 1 } }])).toBe(
      'posthog',
    );
    expect(detectFormat([{ type: 'track', event: 'a', anonymousId: 'x', properties: {} }])).toBe('segment');
    expect(detectFormat([{ event_type: 'a', user_id: 'u' }])).toBe('amplitude');
    expect(detectFormat([{ event_name: 'a', event_timestamp: '1' }])).toBe('ga4');
    expect(detectFormat([{ $distinct_id: 'g', $group_key: 'org_id', $properties: {} }])).toBe(
      'mixpanel-groups',
    );
    expect(detectFormat([{ Id: '003', AccountId: '001', Email: 'x' }])).toBe('salesforce');
    expect(detectFormat([{ 'Record ID': '1', Email: 'x' }])).toBe('hubspot');
  });
});
