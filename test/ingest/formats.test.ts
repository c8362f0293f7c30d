import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Category } from '../../src/core/categories.js';
import type { ProfileFields } from '../../src/core/profile-record.js';
import type { DatasetFormat, DatasetLayout } from '../../src/ingest/read-dataset.js';
import {
  ORG_KEYS,
  ndjson,
  places,
  quarantined,
  readAll,
  sharedSample,
  temporaryFiles,
  validFields,
} from './dataset-files.js';
import { zipArchive } from './zip-writer.js';

const files = temporaryFiles();
type Fields = Omit<ProfileFields, 'values' | 'country' | 'region'>;

const MIXPANEL_EVENTS = ndjson([
  {
    event: 'Signed Up',
    properties: {
      time: 1_700_000_000,
      distinct_id: '$device:d-1',
      $device_id: 'd-1',
      $insert_id: 'i-1',
      $city: 'Berlin',
      $region: 'Berlin',
      mp_country_code: 'DE',
      $os: 'Mac OS X',
      $browser: 'Chrome',
      $browser_version: 120,
      $screen_height: 1080,
      $current_url: 'https://app.example/signup',
      $referrer: 'https://www.google.com/',
      utm_source: 'newsletter',
      gclid: 'Cj0KCQ',
      mp_lib: 'web',
      mp_processing_time_ms: 1_700_000_000_123,
      plan: 'pro',
    },
  },
  {
    event: 'Logged In',
    properties: {
      time: 1_700_000_123_456,
      distinct_id: 'u-42',
      $user_id: 'u-42',
      $device_id: 'd-1',
      $insert_id: 'i-2',
      $email: 'ada@example.com',
      org_id: 'org-7',
    },
  },
]);

const MIXPANEL_GROUPS = ndjson([
  {
    $distinct_id: 'org-7',
    $group_key: 'org_id',
    $properties: {
      $name: 'Acme Corp',
      $email: 'billing@acme.example',
      $created: '2021-05-01',
      plan: 'enterprise',
    },
  },
]);

const AMPLITUDE_EXPORT = ndjson([
  {
    $insert_id: '5c9b1a0e',
    amplitude_id: 123_456_789_012,
    app: 187_520,
    city: 'San Francisco',
    client_event_time: '2020-11-24 09:59:55.977000',
    country: 'United States',
    data: { first_event: true, path: '/2/httpapi' },
    device_family: 'Mac',
    device_id: 'f2b8a2c1-d1',
    device_type: 'Mac',
    dma: 'San Francisco-Oakland-San Jose, CA',
    event_properties: { button: 'signup' },
    event_time: '2020-11-24 09:59:56.123000',
    event_type: 'Button Click',
    group_properties: {},
    groups: { org_id: ['org-9'], company_id: 'c-1' },
    ip_address: '203.0.113.7',
    language: 'English',
    library: 'amplitude-js/8.21.0',
    location_lat: 37.77,
    location_lng: -122.42,
    os_name: 'Chrome',
    os_version: '86',
    platform: 'Web',
    region: 'California',
    session_id: 1_606_211_995_977,
    user_id: 'u-9',
    user_properties: {
      email: 'grace@example.com',
      name: 'Grace Hopper',
      initial_referrer: 'https://news.example/',
      initial_utm_source: 'news',
      plan: 'team',
    },
    uuid: '0d1c7f4e-2b5a',
  },
  { amplitude_id: 5, device_id: 'anon-device', event_type: 'session_start', user_id: null },
]);

const SEGMENT_MESSAGES = ndjson([
  {
    type: 'identify',
    messageId: 'm-1',
    userId: 'u-1',
    anonymousId: 'a-1',
    traits: {
      email: 'ada@example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
      phone: '+44 20 7946 0000',
      address: { street: '1 Main St', city: 'London', country: 'UK' },
      plan: 'pro',
    },
    context: {
      ip: '203.0.113.9',
      locale: 'en-GB',
      userAgent: 'Mozilla/5.0',
      library: { name: 'analytics.js', version: '4.1.0' },
    },
    timestamp: '2024-01-15T10:30:00.000Z',
  },
  {
    type: 'track',
    event: 'Order Completed',
    anonymousId: 'a-2',
    properties: { revenue: 42 },
    context: {
      groupId: 'org-3',
      page: { url: 'https://shop.example/checkout', referrer: 'https://news.example/' },
      campaign: { source: 'newsletter' },
      location: { city: 'Paris', latitude: 48.85, longitude: 2.35 },
    },
  },
  {
    type: 'group',
    userId: 'u-1',
    groupId: 'org-1',
    traits: { name: 'Acme Inc', email: 'billing@acme.example', employees: 120 },
  },
]);

const POSTHOG_PERSONS_AND_EVENTS = ndjson([
  {
    id: '0188a0b5-6c7d',
    distinct_ids: ['anon-1', 'u-5'],
    properties: {
      email: 'grace@example.com',
      name: 'Grace Hopper',
      $geoip_country_code: 'US',
      $initial_referrer: 'https://search.example/',
      favourite_language: 'COBOL',
    },
    created_at: '2023-06-01T00:00:00Z',
    is_identified: true,
  },
  {
    uuid: '018c2f3a-1b2c',
    event: '$pageview',
    distinct_id: 'u-5',
    timestamp: '2024-02-01T10:00:00Z',
    person_id: '0188a0b5-6c7d',
    properties: {
      $os: 'Windows',
      $browser: 'Firefox',
      $current_url: 'https://app.example/',
      $ip: '198.51.100.7',
      $groups: { organization: 'org-11', project: 'p-2' },
      $set: { email: 'grace@example.com' },
    },
  },
]);

const GA4_EVENTS = ndjson([
  {
    event_date: '20240115',
    event_timestamp: '1705314600000000',
    event_name: 'page_view',
    event_params: [
      { key: 'page_location', value: { string_value: 'https://shop.example/', int_value: null } },
      { key: 'ga_session_id', value: { string_value: null, int_value: '1705314600' } },
      { key: 'page_referrer', value: { string_value: 'https://news.example/' } },
      { key: 'coupon_code', value: { string_value: 'WELCOME10' } },
    ],
    user_id: 'u-77',
    user_pseudo_id: '1234567890.1705314600',
    user_properties: [
      { key: 'membership', value: { string_value: 'gold', set_timestamp_micros: '1705314600000000' } },
    ],
    device: { category: 'desktop', operating_system: 'Windows', web_info: { browser: 'Chrome' } },
    geo: { continent: 'Europe', country: 'Germany', region: 'Bavaria', city: 'Munich' },
    traffic_source: { name: '(direct)', medium: '(none)', source: '(direct)' },
    stream_id: '123',
    platform: 'WEB',
  },
]);

const HUBSPOT_LABELS = [
  'Record ID,First Name,Last Name,Email,Phone Number,City,Country/Region,Lifecycle Stage,Create Date,First Referring Site,Associated Company ID,Favourite Colour',
  '101,Ada,Lovelace,ada@example.com,+44 20 7946 0000,London,United Kingdom,customer,2023-01-01 10:00,https://www.google.com/,9001,blue',
  '',
].join('\r\n');

const HUBSPOT_INTERNAL_NAMES = [
  'hs_object_id,firstname,lastname,email,mobilephone,address,zip,ip_city,hs_analytics_first_url,hs_analytics_num_visits,jobtitle',
  '102,Grace,Hopper,grace@example.com,+1 555 0100,1 Navy Way,20350,Arlington,https://example.com/pricing,12,Rear Admiral',
  '',
].join('\n');

const SALESFORCE_DATA_LOADER = [
  '"ID","ISDELETED","ACCOUNTID","LASTNAME","FIRSTNAME","SALUTATION","MAILINGSTREET","MAILINGCITY","MAILINGPOSTALCODE","MAILINGCOUNTRY","PHONE","MOBILEPHONE","EMAIL","BIRTHDATE","LEADSOURCE","CREATEDDATE","CUSTOMER_TIER__C"',
  '"0035g00000AbCdEAAV","false","0015g00000XyZaBAAV","Lovelace","Ada","Ms.","1 Main St","London","N1 9GU","United Kingdom","+44 20 7946 0000","","ada@example.com","1815-12-10","Web","2023-01-01T10:00:00.000Z","Gold"',
  '',
].join('\n');

const GENERIC_CSV = [
  'User ID,E-mail,Full Name,Org ID,City,Country,IP Address,User Agent,Referrer,Shoe Size',
  'u-1,ada@example.com,Ada Lovelace,o-1,London,UK,203.0.113.1,Mozilla/5.0,https://news.example/,38',
  '',
].join('\n');

const GENERIC_NESTED = JSON.stringify([
  { id: 7, user: { email: 'x@example.com', name: 'Xavier' }, org_id: 'o-2', meta: { plan: 'pro' } },
]);

interface Sample {
  description: string;
  file: string | { name: string; content: string | Uint8Array };
  format: Exclude<DatasetFormat, 'auto'>;
  layout: DatasetLayout;
  orgKeys?: string[];
  fields: Fields[];
  /** Each valid record's coarse place as `country/region`, where the sample has one. */
  places?: string[];
  quarantined?: { line: number; reason: string }[];
}

const SAMPLES: Sample[] = [
  {
    description: 'the Mixpanel Engage API page sample (Airbyte)',
    file: 'mixpanel/engage_response.json',
    format: 'mixpanel-people',
    layout: 'api-page',
    fields: [
      {
        userId: '9d35cd7f-3f06-4549-91bf-198ee58bb58a',
        email: 'clark@asw.com',
        organizationIds: [],
        categories: ['identifier', 'name', 'email', 'device', 'usage'],
        unknownFields: [],
      },
      {
        userId: 'cd9d357f-3f06-4549-91bf-158bb598ee8a',
        email: 'bruce@asw.com',
        organizationIds: [],
        categories: ['identifier', 'name', 'email', 'device', 'usage'],
        unknownFields: [],
      },
    ],
  },
  {
    description: 'Mixpanel raw events, time in seconds and milliseconds',
    file: { name: 'events.json', content: MIXPANEL_EVENTS },
    format: 'mixpanel-events',
    layout: 'ndjson',
    places: ['DE/BERLIN', '-/-'],
    fields: [
      {
        userId: '$device:d-1',
        email: null,
        organizationIds: [],
        categories: ['identifier', 'location', 'device', 'referrer', 'usage'],
        unknownFields: ['plan'],
      },
      {
        userId: 'u-42',
        email: 'ada@example.com',
        organizationIds: ['org-7'],
        categories: ['identifier', 'email', 'usage'],
        unknownFields: [],
      },
    ],
  },
  {
    description: 'the Mixpanel events NDJSON sample (mixpanel-utils), which has no distinct ids',
    file: 'mixpanel-utils-fixtures/events.ndjson',
    format: 'mixpanel-events',
    layout: 'ndjson',
    fields: [],
    quarantined: [1, 2, 3].map((line) => ({
      line,
      reason: 'no identity key ($user_id or distinct_id, email or organization id)',
    })),
  },
  {
    description: 'the Mixpanel events CSV sample (mixpanel-utils)',
    file: 'mixpanel-utils-fixtures/events.csv',
    format: 'mixpanel-events',
    layout: 'csv',
    fields: [],
    quarantined: [2, 3, 4].map((line) => ({
      line,
      reason: 'no identity key ($user_id or distinct_id, email or organization id)',
    })),
  },
  {
    description: 'the Mixpanel events JSON array sample (mixpanel-utils)',
    file: 'mixpanel-utils-fixtures/json_dir/batch1.json',
    format: 'mixpanel-events',
    layout: 'json-array',
    fields: [],
    quarantined: [2, 3].map((line) => ({
      line,
      reason: 'no identity key ($user_id or distinct_id, email or organization id)',
    })),
  },
  {
    description: 'Mixpanel group profiles',
    file: { name: 'groups.ndjson', content: MIXPANEL_GROUPS },
    format: 'mixpanel-groups',
    layout: 'ndjson',
    fields: [
      {
        userId: null,
        email: null,
        organizationIds: ['org-7'],
        categories: ['identifier', 'name', 'email', 'usage'],
        unknownFields: ['plan'],
      },
    ],
  },
  {
    description: 'the Amplitude export line sample (mixpanel-utils)',
    file: 'mixpanel-utils-fixtures/amplitude.json',
    format: 'amplitude',
    layout: 'ndjson',
    fields: [
      {
        userId: 'amp-user-1',
        email: null,
        organizationIds: [],
        categories: ['identifier', 'ip_address', 'usage'],
        unknownFields: ['event_properties.button', 'user_properties.plan'],
      },
    ],
  },
  {
    description: 'an Amplitude export ZIP of gzipped NDJSON',
    file: {
      name: 'export.zip',
      content: zipArchive([
        { name: '187520/187520_2020-11-24_9#0.json.gz', data: gzipSync(AMPLITUDE_EXPORT) },
      ]),
    },
    format: 'amplitude',
    layout: 'ndjson',
    places: ['US/CA', '-/-'],
    fields: [
      {
        userId: 'u-9',
        email: 'grace@example.com',
        organizationIds: ['org-9'],
        categories: [
          'identifier',
          'name',
          'email',
          'location',
          'precise_location',
          'ip_address',
          'device',
          'referrer',
          'usage',
        ],
        unknownFields: ['event_properties.button', 'user_properties.plan'],
      },
      {
        userId: 'anon-device',
        email: null,
        organizationIds: [],
        categories: ['identifier', 'usage'],
        unknownFields: [],
      },
    ],
  },
  {
    description: 'Segment identify, track and group messages',
    file: { name: 'segment.log', content: SEGMENT_MESSAGES },
    format: 'segment',
    layout: 'ndjson',
    places: ['GB/-', '-/-', '-/-'],
    fields: [
      {
        userId: 'u-1',
        email: 'ada@example.com',
        organizationIds: [],
        categories: [
          'identifier',
          'name',
          'email',
          'phone',
          'location',
          'ip_address',
          'device',
          'usage',
          'address',
        ],
        unknownFields: ['traits.plan'],
      },
      {
        userId: 'a-2',
        email: null,
        organizationIds: ['org-3'],
        categories: ['identifier', 'location', 'precise_location', 'referrer', 'usage'],
        unknownFields: ['properties.revenue'],
      },
      {
        userId: 'u-1',
        email: null,
        organizationIds: ['org-1'],
        categories: ['identifier', 'name', 'email', 'usage'],
        unknownFields: ['traits.employees'],
      },
    ],
  },
  {
    description: 'the June CSV sample (mixpanel-utils): Segment messages in snake case, context as JSON',
    file: 'mixpanel-utils-fixtures/june_events.csv',
    format: 'segment',
    layout: 'csv',
    fields: [
      {
        userId: 'june-u1',
        email: null,
        organizationIds: [],
        categories: ['identifier', 'ip_address', 'usage'],
        unknownFields: ['properties.plan'],
      },
      {
        userId: 'june-u1',
        email: null,
        organizationIds: [],
        categories: ['identifier', 'ip_address', 'usage'],
        unknownFields: ['properties.method'],
      },
    ],
  },
  {
    description: 'the PostHog GeoIP-enriched event properties sample, one pretty-printed object',
    file: 'posthog-geoip-test/pageview_properties_after_geoip.json',
    format: 'posthog',
    layout: 'json-objects',
    places: ['US/OH'],
    fields: [
      {
        userId: 'scbbAqF7uyrMmamV4QBzcA1rrm9wHNISdFweZz-mQ0',
        email: null,
        organizationIds: [],
        categories: ['identifier', 'location', 'precise_location', 'device', 'referrer', 'usage'],
        unknownFields: ['has_slack_webhook'],
      },
    ],
  },
  {
    description: 'PostHog persons and events as JSONL, with an organization group key',
    file: { name: 'posthog.jsonl', content: POSTHOG_PERSONS_AND_EVENTS },
    format: 'posthog',
    layout: 'ndjson',
    places: ['US/-', '-/-'],
    orgKeys: ['organization'],
    fields: [
      {
        userId: 'anon-1',
        email: 'grace@example.com',
        organizationIds: [],
        categories: ['identifier', 'name', 'email', 'location', 'referrer', 'usage'],
        unknownFields: ['favourite_language'],
      },
      {
        userId: 'u-5',
        email: 'grace@example.com',
        organizationIds: ['org-11'],
        categories: ['identifier', 'email', 'ip_address', 'device', 'referrer', 'usage'],
        unknownFields: [],
      },
    ],
  },
  {
    description: 'a GA4 BigQuery JSON export',
    file: { name: 'ga4.json', content: GA4_EVENTS },
    format: 'ga4',
    layout: 'ndjson',
    places: ['DE/BAVARIA'],
    fields: [
      {
        userId: 'u-77',
        email: null,
        organizationIds: [],
        categories: ['identifier', 'location', 'device', 'referrer', 'usage'],
        unknownFields: ['event_params.coupon_code', 'user_properties.membership'],
      },
    ],
  },
  {
    description: 'HubSpot contacts with column labels',
    file: { name: 'contacts.csv', content: HUBSPOT_LABELS },
    format: 'hubspot',
    layout: 'csv',
    places: ['GB/-'],
    fields: [
      {
        userId: '101',
        email: 'ada@example.com',
        organizationIds: [],
        categories: ['identifier', 'name', 'email', 'phone', 'location', 'referrer', 'usage'],
        unknownFields: ['Favourite Colour'],
      },
    ],
  },
  {
    description: 'HubSpot contacts with internal names',
    file: { name: 'contacts.csv', content: HUBSPOT_INTERNAL_NAMES },
    format: 'hubspot',
    layout: 'csv',
    fields: [
      {
        userId: '102',
        email: 'grace@example.com',
        organizationIds: [],
        categories: ['identifier', 'name', 'email', 'phone', 'location', 'referrer', 'usage', 'address'],
        unknownFields: ['jobtitle'],
      },
    ],
  },
  {
    description: 'a Salesforce Contact export from Data Loader',
    file: { name: 'extract.csv', content: SALESFORCE_DATA_LOADER },
    format: 'salesforce',
    layout: 'csv',
    places: ['GB/-'],
    fields: [
      {
        userId: '0035g00000AbCdEAAV',
        email: 'ada@example.com',
        organizationIds: ['0015g00000XyZaBAAV'],
        categories: [
          'identifier',
          'name',
          'email',
          'phone',
          'location',
          'referrer',
          'usage',
          'address',
          'birth_date',
        ],
        unknownFields: ['CUSTOMER_TIER__C'],
      },
    ],
  },
  {
    description: 'generic CSV with common column labels',
    file: { name: 'users.csv', content: GENERIC_CSV },
    format: 'generic',
    layout: 'csv',
    places: ['GB/-'],
    fields: [
      {
        userId: 'u-1',
        email: 'ada@example.com',
        organizationIds: ['o-1'],
        categories: ['identifier', 'name', 'email', 'location', 'ip_address', 'device', 'referrer'],
        unknownFields: ['Shoe Size'],
      },
    ],
  },
  {
    description: 'a generic JSON array with nested objects',
    file: { name: 'users.json', content: GENERIC_NESTED },
    format: 'generic',
    layout: 'json-array',
    fields: [
      {
        userId: '7',
        email: null,
        organizationIds: ['o-2'],
        categories: ['identifier', 'name', 'email'],
        unknownFields: ['meta.plan'],
      },
    ],
  },
  {
    description: 'the mParticle batch sample (mixpanel-utils), a vendor with no format of its own',
    file: 'mixpanel-utils-fixtures/mparticle.jsonl',
    format: 'generic',
    layout: 'ndjson',
    fields: [],
    quarantined: [{ line: 1, reason: 'no identity key (user_id or id, email or organization id)' }],
  },
];

async function pathOf(file: Sample['file']): Promise<string> {
  return typeof file === 'string' ? sharedSample(file) : files.write(file.name, file.content);
}

describe.each(SAMPLES)('$description', (sample) => {
  it(`is detected as ${sample.format} and read with its identity keys, org ids, categories and unknown fields`, async () => {
    const result = await readAll(await pathOf(sample.file), { orgKeys: sample.orgKeys ?? ORG_KEYS });
    expect({ format: result.format, layout: result.layout }).toEqual({
      format: sample.format,
      layout: sample.layout,
    });
    expect(validFields(result.rows)).toEqual(sample.fields);
    expect(quarantined(result.rows)).toEqual(sample.quarantined ?? []);
  });

  it('is read as another format when one is given', async () => {
    const other = sample.format === 'generic' ? 'mixpanel-people' : 'generic';
    const result = await readAll(await pathOf(sample.file), { format: other });
    expect(result.format).toBe(other);
  });
});

describe.each(SAMPLES.filter((sample) => sample.places !== undefined))('$description', (sample) => {
  it('keeps each record’s country and region, normalized, in clear', async () => {
    const result = await readAll(await pathOf(sample.file), { orgKeys: sample.orgKeys ?? ORG_KEYS });
    expect(places(result.rows)).toEqual(sample.places);
  });
});

describe('format details', () => {
  it('reads a group profile export as group profiles when told so, with no person identity', async () => {
    const result = await readAll(sharedSample('mixpanel/engage_response.json'), {
      format: 'mixpanel-groups',
    });
    expect(
      validFields(result.rows).map(({ userId, email, organizationIds }) => ({
        userId,
        email,
        organizationIds,
      })),
    ).toEqual([
      { userId: null, email: null, organizationIds: ['9d35cd7f-3f06-4549-91bf-198ee58bb58a'] },
      { userId: null, email: null, organizationIds: ['cd9d357f-3f06-4549-91bf-158bb598ee8a'] },
    ]);
  });

  it('takes only group keys that are org keys as organizations, in Amplitude groups and PostHog $groups', async () => {
    const amplitude = await readAll(await files.write('a.json', AMPLITUDE_EXPORT), {
      orgKeys: ['company_id'],
    });
    expect(validFields(amplitude.rows)[0]?.organizationIds).toEqual(['c-1']);
    const posthog = await readAll(await files.write('p.jsonl', POSTHOG_PERSONS_AND_EVENTS));
    expect(validFields(posthog.rows)[1]?.organizationIds).toEqual([]);
  });

  it('takes HubSpot company ids as organizations only when configured', async () => {
    const result = await readAll(await files.write('c.csv', HUBSPOT_LABELS), {
      orgKeys: ['Associated Company ID'],
    });
    expect(validFields(result.rows)[0]?.organizationIds).toEqual(['9001']);
  });

  it('does not count referrers that say there was none', async () => {
    const content = ndjson([
      { distinct_id: 'u1', properties: { $initial_referrer: '$direct' }, event: 'x', uuid: 'e1' },
    ]);
    const result = await readAll(await files.write('p.jsonl', content));
    expect(result.format).toBe('posthog');
    expect(validFields(result.rows)[0]?.categories).toEqual(['identifier', 'usage']);
  });
});

describe('mapping', () => {
  const mapped = (entries: [string, Category][]) => ({ mapping: new Map(entries) });

  it('maps unknown fields, by name or dotted path, and overrides the format table', async () => {
    const result = await readAll(
      await files.write('segment.log', SEGMENT_MESSAGES),
      mapped([
        ['traits.plan', 'payment'],
        ['context.ip', 'location'],
        ['properties.revenue', 'payment'],
      ]),
    );
    const [identify, track] = validFields(result.rows);
    expect(identify?.unknownFields).toEqual([]);
    expect(identify?.categories).toEqual([
      'identifier',
      'name',
      'email',
      'phone',
      'location',
      'device',
      'usage',
      'address',
      'payment',
    ]);
    expect(track?.categories).toContain('payment');
  });

  it('matches mapped CSV labels as loosely as the format does', async () => {
    const result = await readAll(
      await files.write('users.csv', GENERIC_CSV),
      mapped([['shoe_size', 'health']]),
    );
    expect(validFields(result.rows)[0]).toMatchObject({ unknownFields: [] });
    expect(validFields(result.rows)[0]?.categories).toContain('health');
  });
});
