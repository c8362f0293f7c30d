import { MIXPANEL_FIELDS } from '../mixpanel-fields.js';
import { defineFormat, hasAny, isJsonObject } from './format-spec.js';
import type { JsonObject } from './format-spec.js';

const RESERVED_PROFILE_PROPERTIES = [
  '$email',
  '$name',
  '$first_name',
  '$last_name',
  '$created',
  '$last_seen',
];
const GROUP_MARKERS = ['$group_key', '$group_id'];

/** Group profiles come back in the same Engage shape; only these markers tell them apart. */
export function isGroupProfile(record: JsonObject): boolean {
  const properties = record.$properties;
  return hasAny(record, GROUP_MARKERS) || (isJsonObject(properties) && hasAny(properties, GROUP_MARKERS));
}

/** Engage API pages, their JSON array and NDJSON dumps, flattened records, CSV, data pipelines. */
export const MIXPANEL_PEOPLE = defineFormat({
  name: 'mixpanel-people',
  signatures: [
    {
      weight: 1,
      test: (r) => Object.hasOwn(r, '$distinct_id') && isJsonObject(r.$properties) && !isGroupProfile(r),
    },
    {
      weight: 0.8,
      test: (r) => Object.hasOwn(r, '$distinct_id') && !Object.hasOwn(r, 'event') && !isGroupProfile(r),
    },
    // `$properties` is Mixpanel's own container name, even on a profile without its id.
    { weight: 0.8, test: (r) => isJsonObject(r.$properties) && !isGroupProfile(r) },
    {
      weight: 0.6,
      test: (r) =>
        Object.hasOwn(r, 'distinct_id') && isJsonObject(r.properties) && !Object.hasOwn(r, 'event'),
    },
    { weight: 0.5, test: (r) => hasAny(r, RESERVED_PROFILE_PROPERTIES) && !Object.hasOwn(r, 'event') },
  ],
  containers: ['$properties', 'properties'],
  identity: {
    userIds: ['$distinct_id', 'distinct_id', '$user_id', 'user_id', 'userId'],
    emails: ['$email', 'email'],
    organizationIds: [],
    groupContainers: ['$groups'],
  },
  places: {
    countries: ['$country_code', 'mp_country_code', 'country'],
    regions: ['$region', 'region'],
  },
  fields: MIXPANEL_FIELDS,
});
