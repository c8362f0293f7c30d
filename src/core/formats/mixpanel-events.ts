import { MIXPANEL_FIELDS } from '../mixpanel-fields.js';
import { defineFormat, hasAny, isJsonObject } from './format-spec.js';

const EVENT_PROPERTIES = ['time', 'distinct_id', '$insert_id', 'mp_lib', '$mp_api_endpoint'];
/** Top-level keys of other vendors' events (PostHog, Segment) that Mixpanel's export never has. */
const OTHER_EVENT_KEYS = ['distinct_id', 'uuid', 'timestamp', 'type', 'person_id'];

/**
 * Raw event export: `{event, properties}` per line, `time` in seconds or milliseconds. `$user_id`
 * goes before `distinct_id`, which is a `$device:` id until the person is identified.
 */
export const MIXPANEL_EVENTS = defineFormat({
  name: 'mixpanel-events',
  signatures: [
    {
      weight: 0.9,
      test: (r) =>
        typeof r.event === 'string' &&
        isJsonObject(r.properties) &&
        hasAny(r.properties, EVENT_PROPERTIES) &&
        !hasAny(r, OTHER_EVENT_KEYS),
    },
    {
      weight: 0.8,
      test: (r) => Object.hasOwn(r, 'event') && Object.hasOwn(r, 'time') && !Object.hasOwn(r, 'type'),
    },
  ],
  containers: ['properties'],
  identity: {
    userIds: ['$user_id', 'distinct_id', '$distinct_id', 'user_id', 'userId'],
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
