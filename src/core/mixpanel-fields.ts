import type { Category } from './categories.js';

/*
 * Mixpanel property → category. Judgement calls: `$device_id` and the identity-merge ids are
 * identifiers; `usage` holds activity metadata rather than facts about the person (`$created`,
 * `$last_seen`, event name and time, `$insert_id` which identifies an event, Mixpanel's internal
 * `$mp_*` and mobile auto-event `$ae_*` counters); `mp_lib`/`$lib_version` describe the SDK on the
 * device; `$avatar` is a picture the person uploaded, so `content`.
 */
const FIELDS_BY_CATEGORY: readonly (readonly [Category, readonly string[]])[] = [
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
      'gclid',
      'fbclid',
      'msclkid',
      'dclid',
      'ttclid',
      'twclid',
      'li_fat_id',
      'wbraid',
      'gbraid',
    ],
  ],
  ['usage', ['$created', '$last_seen', '$insert_id', 'time', 'event']],
  ['content', ['$avatar']],
];

/** First match wins, so a longer prefix goes before a shorter one it starts with. */
const FIELD_PREFIXES: readonly (readonly [string, Category])[] = [
  ['$screen_', 'device'],
  ['$android_', 'device'],
  ['$ios_', 'device'],
  ['$app_version', 'device'],
  ['initial_utm_', 'referrer'],
  ['utm_', 'referrer'],
  ['$mp_', 'usage'],
  ['$ae_', 'usage'],
];

const CATEGORY_BY_FIELD: ReadonlyMap<string, Category> = new Map(
  FIELDS_BY_CATEGORY.flatMap(([category, names]) => names.map((name) => [name, category] as const)),
);

/** The category of a Mixpanel property, or null when the property is unknown. */
export function mixpanelFieldCategory(name: string, orgKeys: readonly string[] = []): Category | null {
  if (orgKeys.includes(name)) return 'identifier';
  const exact = CATEGORY_BY_FIELD.get(name);
  if (exact !== undefined) return exact;
  return FIELD_PREFIXES.find(([prefix]) => name.startsWith(prefix))?.[1] ?? null;
}
