import { defineFormat, hasAny, hasKeyStartingWith, isJsonObject } from './format-spec.js';
import { CAMPAIGN_PREFIXES, CLICK_IDS } from './web-fields.js';

const POSTHOG_PROPERTIES = ['$lib', 'posthog_version', '$session_id', '$window_id', '$pageview_id'];
const GEOIP_PREFIXES = ['$geoip_', '$initial_geoip_'];

/**
 * Persons (`{distinct_ids, properties}`) and events (`{event, distinct_id, properties}`) as JSONL,
 * or the bare properties of one. Person properties set by an event (`$set`, `$set_once`) and the
 * person's properties copied onto events read as the event's own. `email` and `name` are
 * conventions, not reserved names, but nearly universal.
 */
export const POSTHOG = defineFormat({
  name: 'posthog',
  signatures: [
    { weight: 1, test: (r) => Array.isArray(r.distinct_ids) && isJsonObject(r.properties) },
    {
      weight: 1,
      test: (r) =>
        Object.hasOwn(r, 'event') &&
        isJsonObject(r.properties) &&
        hasAny(r, ['distinct_id', 'uuid', 'person_id']) &&
        !Object.hasOwn(r, 'type'),
    },
    {
      weight: 0.95,
      test: (r) =>
        hasAny(r, POSTHOG_PROPERTIES) ||
        isJsonObject(r.$set) ||
        isJsonObject(r.$set_once) ||
        hasKeyStartingWith(r, GEOIP_PREFIXES),
    },
  ],
  containers: ['properties', '$set', '$set_once', 'person_properties'],
  identity: {
    userIds: ['distinct_id', '$user_id', 'distinct_ids', 'person_id'],
    emails: ['email', '$email'],
    organizationIds: [],
    groupContainers: ['$groups'],
  },
  places: {
    countries: GEOIP_PREFIXES.flatMap((prefix) => [`${prefix}country_code`, `${prefix}country_name`]),
    regions: GEOIP_PREFIXES.flatMap((prefix) => [
      `${prefix}subdivision_1_code`,
      `${prefix}subdivision_1_name`,
    ]),
  },
  fields: {
    names: [
      [
        'identifier',
        [
          'distinct_id',
          'distinct_ids',
          'person_id',
          'id',
          'uuid',
          '$user_id',
          '$device_id',
          '$anon_distinct_id',
          '$groups',
          '$group_key',
          ...[0, 1, 2, 3, 4].map((index) => `$group_${index}`),
        ],
      ],
      ['name', ['name', 'first_name', 'last_name', '$name']],
      ['email', ['email', '$email']],
      ['phone', ['phone', '$phone']],
      ['location', ['$timezone']],
      [
        'precise_location',
        ['$geoip_latitude', '$geoip_longitude', '$initial_geoip_latitude', '$initial_geoip_longitude'],
      ],
      ['ip_address', ['$ip']],
      [
        'device',
        [
          '$os',
          '$os_name',
          '$os_version',
          '$browser',
          '$browser_version',
          '$browser_language',
          '$device',
          '$device_type',
          '$device_model',
          '$device_manufacturer',
          '$raw_user_agent',
          '$lib',
          '$lib_version',
        ],
      ],
      [
        'referrer',
        [
          '$current_url',
          '$host',
          '$pathname',
          '$referrer',
          '$referring_domain',
          '$initial_referrer',
          '$initial_referring_domain',
          '$initial_current_url',
          '$initial_host',
          '$initial_pathname',
          ...CLICK_IDS,
          ...CLICK_IDS.map((id) => `$initial_${id}`),
        ],
      ],
      [
        'usage',
        [
          'event',
          'timestamp',
          'created_at',
          'person_created_at',
          'is_identified',
          'team_id',
          'elements_chain',
          '$time',
          '$sent_at',
          '$insert_id',
          '$session_id',
          '$window_id',
          '$pageview_id',
          '$active_feature_flags',
          '$process_person_profile',
          '$group_type',
          'posthog_version',
          // The project's public key, not anything of the person's.
          'token',
        ],
      ],
    ],
    prefixes: [
      ['$groups.', 'identifier'],
      ['$geoip_', 'location'],
      ['$initial_geoip_', 'location'],
      ['$screen_', 'device'],
      ['$viewport_', 'device'],
      ['$initial_utm_', 'referrer'],
      ...CAMPAIGN_PREFIXES,
      ['$feature/', 'usage'],
      ['$feature_flag', 'usage'],
    ],
  },
});
