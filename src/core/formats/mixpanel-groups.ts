import { MIXPANEL_FIELDS } from '../mixpanel-fields.js';
import { defineFormat } from './format-spec.js';
import { isGroupProfile } from './mixpanel-people.js';

/**
 * Group profiles: the Engage shape with the group id as `$distinct_id`. The record names an
 * organization, not a person, so it has no user id or email of its own. Detected only when the
 * records carry `$group_key`/`$group_id`; otherwise chosen with the format option.
 */
export const MIXPANEL_GROUPS = defineFormat({
  name: 'mixpanel-groups',
  signatures: [{ weight: 1, test: (r) => Object.hasOwn(r, '$distinct_id') && isGroupProfile(r) }],
  containers: ['$properties', 'properties'],
  identity: {
    userIds: [],
    emails: [],
    organizationIds: ['$distinct_id', '$group_id'],
    groupContainers: [],
  },
  fields: MIXPANEL_FIELDS,
});
