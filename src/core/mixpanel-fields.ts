import type { FieldTable } from './formats/format-spec.js';
import { CAMPAIGN_PREFIXES, CLICK_IDS } from './formats/web-fields.js';

/*
 * Mixpanel property → category, for profiles, group profiles and events alike. Judgement calls:
 * `$device_id` and the identity-merge ids are identifiers; `usage` holds activity metadata rather
 * than facts about the person (`$created`, `$last_seen`, event name and time, `$insert_id` which
 * identifies an event, Mixpanel's internal `$mp_*`/`mp_*` and mobile auto-event `$ae_*` counters);
 * `mp_lib`/`$lib_version` describe the SDK on the device; `$avatar` is a picture the person
 * uploaded, so `content`.
 */
export const MIXPANEL_FIELDS: FieldTable = {
  names: [
    [
      'identifier',
      [
        '$distinct_id',
        'distinct_id',
        '$user_id',
        'user_id',
        'userId',
        '$device_id',
        '$groups',
        '$distinct_id_before_identity',
        '$anon_distinct_id',
        '$anon_id',
        '$identified_id',
        '$group_key',
        '$group_id',
      ],
    ],
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
        'city',
        'region',
        'timezone',
      ],
    ],
    ['precise_location', ['$latitude', '$longitude']],
    ['ip_address', ['$ip', 'ip']],
    [
      'device',
      [
        '$os',
        '$os_version',
        '$browser',
        '$browser_version',
        '$device',
        '$model',
        '$manufacturer',
        '$brand',
        '$carrier',
        '$radio',
        '$wifi',
        '$has_nfc',
        '$has_telephone',
        '$bluetooth_enabled',
        '$bluetooth_version',
        '$app_build_number',
        '$app_release',
        '$lib_version',
        'mp_lib',
      ],
    ],
    [
      'referrer',
      [
        '$initial_referrer',
        '$initial_referring_domain',
        '$referrer',
        '$referring_domain',
        '$current_url',
        '$search_engine',
        'mp_keyword',
        ...CLICK_IDS,
      ],
    ],
    ['usage', ['$created', '$last_seen', '$insert_id', 'time', 'event', '$import', '$source']],
    ['content', ['$avatar']],
  ],
  prefixes: [
    // `$groups` is flattened: its members are the group keys.
    ['$groups.', 'identifier'],
    ['$screen_', 'device'],
    ['$android_', 'device'],
    ['$ios_', 'device'],
    ['$app_version', 'device'],
    ...CAMPAIGN_PREFIXES,
    ['$mp_', 'usage'],
    ['mp_', 'usage'],
    ['$ae_', 'usage'],
  ],
};
