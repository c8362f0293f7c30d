import { defineFormat } from './format-spec.js';

const PARAM = 'event_params.';

/**
 * Google Analytics 4's BigQuery export as JSON, one event per line. `event_params` and
 * `user_properties` are lists of `{key, value: {string_value, int_value, …}}`, read as
 * `event_params.<key>` fields. GA4's terms forbid sending names and addresses, so none are expected;
 * custom parameters and user properties are reported as unknown.
 */
export const GA4 = defineFormat({
  name: 'ga4',
  signatures: [
    {
      weight: 1,
      test: (r) =>
        Array.isArray(r.event_params) ||
        Object.hasOwn(r, 'user_pseudo_id') ||
        (Object.hasOwn(r, 'event_name') && Object.hasOwn(r, 'event_timestamp')),
    },
  ],
  keyValueLists: ['event_params', 'user_properties'],
  identity: {
    userIds: ['user_id', 'user_pseudo_id'],
    emails: ['user_properties.email'],
    organizationIds: [],
    groupContainers: [],
  },
  places: { countries: ['geo.country'], regions: ['geo.region'] },
  fields: {
    names: [
      ['identifier', ['user_id', 'user_pseudo_id', 'device.vendor_id', 'device.advertising_id']],
      ['email', ['user_properties.email']],
      ['location', ['device.time_zone_offset_seconds']],
      [
        'referrer',
        [
          `${PARAM}page_location`,
          `${PARAM}page_referrer`,
          `${PARAM}source`,
          `${PARAM}medium`,
          `${PARAM}campaign`,
          `${PARAM}campaign_id`,
          `${PARAM}term`,
          `${PARAM}content`,
          `${PARAM}gclid`,
          `${PARAM}dclid`,
          `${PARAM}srsltid`,
          `${PARAM}link_url`,
          `${PARAM}link_domain`,
        ],
      ],
      [
        'usage',
        [
          'event_date',
          'event_timestamp',
          'event_name',
          'event_previous_timestamp',
          'event_value_in_usd',
          'event_bundle_sequence_id',
          'event_server_timestamp_offset',
          'user_first_touch_timestamp',
          'stream_id',
          'platform',
          'is_active_user',
          'batch_event_index',
          'batch_page_id',
          'batch_ordering_id',
          'items',
          `${PARAM}page_title`,
          `${PARAM}ga_session_id`,
          `${PARAM}ga_session_number`,
          `${PARAM}engagement_time_msec`,
          `${PARAM}session_engaged`,
          `${PARAM}engaged_session_event`,
          `${PARAM}entrances`,
          `${PARAM}debug_mode`,
          `${PARAM}percent_scrolled`,
          `${PARAM}ignore_referrer`,
          `${PARAM}batch_page_id`,
          `${PARAM}batch_ordering_id`,
        ],
      ],
    ],
    prefixes: [
      ['geo.', 'location'],
      ['device.', 'device'],
      ['app_info.', 'device'],
      ['traffic_source.', 'referrer'],
      ['collected_traffic_source.', 'referrer'],
      ['session_traffic_source_last_click.', 'referrer'],
      ['event_dimensions.', 'referrer'],
      ['privacy_info.', 'usage'],
      ['user_ltv.', 'usage'],
      ['ecommerce.', 'usage'],
      ['publisher.', 'usage'],
    ],
  },
});
