import type { Category } from '../categories.js';

/** Ad click ids that land in web analytics as URL parameters. */
export const CLICK_IDS = [
  'gclid',
  'fbclid',
  'msclkid',
  'dclid',
  'ttclid',
  'twclid',
  'li_fat_id',
  'wbraid',
  'gbraid',
  'yclid',
  'epik',
  'rdt_cid',
  'irclid',
];

/** Campaign parameters as prefixes, so `utm_source`, `initial_utm_campaign`… all match. */
export const CAMPAIGN_PREFIXES: readonly (readonly [string, Category])[] = [
  ['initial_utm_', 'referrer'],
  ['utm_', 'referrer'],
];
