import { AMPLITUDE } from './amplitude.js';
import type { FormatName, FormatSpec } from './format-spec.js';
import { GA4 } from './ga4.js';
import { GENERIC } from './generic.js';
import { HUBSPOT } from './hubspot.js';
import { MIXPANEL_EVENTS } from './mixpanel-events.js';
import { MIXPANEL_GROUPS } from './mixpanel-groups.js';
import { MIXPANEL_PEOPLE } from './mixpanel-people.js';
import { POSTHOG } from './posthog.js';
import { SALESFORCE } from './salesforce.js';
import { SEGMENT } from './segment.js';

/** In detection order: on equal scores the earlier, more specific format wins. */
export const FORMAT_SPECS: Readonly<Record<FormatName, FormatSpec>> = {
  'mixpanel-groups': MIXPANEL_GROUPS,
  'mixpanel-people': MIXPANEL_PEOPLE,
  'mixpanel-events': MIXPANEL_EVENTS,
  posthog: POSTHOG,
  segment: SEGMENT,
  amplitude: AMPLITUDE,
  ga4: GA4,
  hubspot: HUBSPOT,
  salesforce: SALESFORCE,
  generic: GENERIC,
};
