import { defineFormat, hasAny } from './format-spec.js';
import { CAMPAIGN_PREFIXES, CLICK_IDS } from './web-fields.js';

const USER = 'user_properties.';

/**
 * Amplitude's export API: a ZIP of gzipped NDJSON, one event per line. The person's own facts are in
 * `user_properties`; `event_properties`, `group_properties` and `global_user_properties` are the
 * customer's own names and are reported as unknown. `user_id` is the product's id; an anonymous
 * event falls back to its `device_id`. `amplitude_id` is a number of Amplitude's own and could equal
 * an unrelated account id, so it is not compared.
 */
export const AMPLITUDE = defineFormat({
  name: 'amplitude',
  signatures: [
    {
      weight: 1,
      test: (r) =>
        Object.hasOwn(r, 'event_type') &&
        hasAny(r, ['amplitude_id', 'device_id', 'user_id', 'user_properties', 'event_properties']),
    },
    { weight: 0.9, test: (r) => Object.hasOwn(r, 'amplitude_id') },
  ],
  identity: {
    userIds: ['user_id', 'device_id'],
    emails: [`${USER}email`, `${USER}Email`, `${USER}$email`],
    organizationIds: [],
    groupContainers: ['groups'],
  },
  places: { countries: ['country', `${USER}country`], regions: ['region'] },
  fields: {
    names: [
      [
        'identifier',
        [
          'user_id',
          'device_id',
          'amplitude_id',
          'uuid',
          'session_id',
          'adid',
          'idfa',
          'idfv',
          'android_id',
          'groups',
          `${USER}user_id`,
        ],
      ],
      ['name', [`${USER}name`, `${USER}Name`, `${USER}first_name`, `${USER}last_name`, `${USER}username`]],
      ['email', [`${USER}email`, `${USER}Email`, `${USER}$email`]],
      ['phone', [`${USER}phone`, `${USER}Phone`]],
      ['location', ['city', 'region', 'country', 'dma', `${USER}city`, `${USER}country`]],
      ['precise_location', ['location_lat', 'location_lng']],
      ['ip_address', ['ip_address']],
      [
        'device',
        [
          'os_name',
          'os_version',
          'platform',
          'device_family',
          'device_type',
          'device_brand',
          'device_manufacturer',
          'device_model',
          'device_carrier',
          'carrier',
          'language',
          'library',
          'version_name',
          'start_version',
        ],
      ],
      [
        'referrer',
        [
          'referrer',
          'referring_domain',
          'amplitude_attribution_ids',
          `${USER}initial_referrer`,
          `${USER}initial_referring_domain`,
          `${USER}referrer`,
          `${USER}referring_domain`,
          ...CLICK_IDS,
          ...CLICK_IDS.map((id) => `${USER}${id}`),
          ...CLICK_IDS.map((id) => `${USER}initial_${id}`),
        ],
      ],
      [
        'usage',
        [
          '$insert_id',
          '$schema',
          'event_id',
          'event_type',
          'amplitude_event_type',
          'event_time',
          'client_event_time',
          'client_upload_time',
          'server_received_time',
          'server_upload_time',
          'processed_time',
          'user_creation_time',
          'data_type',
          'app',
          'paying',
          'sample_rate',
          'source_id',
          'partner_id',
          'is_attribution_event',
        ],
      ],
    ],
    prefixes: [
      ['groups.', 'identifier'],
      ...CAMPAIGN_PREFIXES,
      ...CAMPAIGN_PREFIXES.map(([prefix, category]) => [`${USER}${prefix}`, category] as const),
      ['data.', 'usage'],
      ['plan.', 'usage'],
    ],
  },
});
