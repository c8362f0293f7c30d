import type { Category } from '../categories.js';
import { defineFormat, hasAny } from './format-spec.js';
import type { IdentityPaths } from './format-spec.js';

const MESSAGE_TYPES = new Set(['identify', 'track', 'page', 'screen', 'group', 'alias']);
/** `traits` on identify calls; `context.traits` carries the same on the other calls. */
const TRAIT_PREFIXES = ['traits.', 'context.traits.'];
/** Warehouse and CSV exports spell the top-level keys in snake case. */
const USER_IDS = ['userId', 'user_id'];
const ANONYMOUS_IDS = ['anonymousId', 'anonymous_id'];
const GROUP_IDS = ['context.groupId', 'groupId', 'group_id'];

const TRAITS: readonly (readonly [Category, readonly string[]])[] = [
  ['identifier', ['id', 'userId']],
  ['name', ['name', 'firstName', 'lastName', 'first_name', 'last_name', 'username']],
  ['email', ['email']],
  ['phone', ['phone']],
  ['birth_date', ['birthday', 'age']],
  ['content', ['avatar', 'description']],
  ['usage', ['createdAt', 'created_at', 'logins']],
];

const traits = (names: readonly string[]): string[] =>
  TRAIT_PREFIXES.flatMap((prefix) => names.map((name) => `${prefix}${name}`));

/** A group call's traits describe the group, so its email is not the person's address. */
const GROUP_CALL: IdentityPaths = {
  userIds: [...USER_IDS, ...ANONYMOUS_IDS],
  emails: [],
  organizationIds: GROUP_IDS,
  groupContainers: [],
};

/** Raw Segment messages (identify, track, page, screen, group, alias), as logged or replayed. */
export const SEGMENT = defineFormat({
  name: 'segment',
  signatures: [
    {
      weight: 1,
      test: (r) =>
        typeof r.type === 'string' &&
        MESSAGE_TYPES.has(r.type) &&
        hasAny(r, [...USER_IDS, ...ANONYMOUS_IDS, 'messageId', 'message_id']),
    },
  ],
  identity: {
    userIds: [...USER_IDS, ...traits(['id']), ...ANONYMOUS_IDS],
    emails: traits(['email']),
    organizationIds: GROUP_IDS,
    groupContainers: [],
  },
  identityFor: (record) => (record.type === 'group' ? GROUP_CALL : undefined),
  places: {
    countries: ['context.location.country', ...traits(['address.country'])],
    regions: ['context.location.region', ...traits(['address.state', 'address.region'])],
  },
  fields: {
    names: [
      ...TRAITS.map(([category, names]) => [category, traits(names)] as const),
      [
        'identifier',
        [
          ...USER_IDS,
          ...ANONYMOUS_IDS,
          ...GROUP_IDS,
          'previousId',
          'messageId',
          'message_id',
          'context.device.id',
          'context.device.advertisingId',
        ],
      ],
      ['location', ['context.timezone', 'context.locale']],
      ['precise_location', ['context.location.latitude', 'context.location.longitude']],
      ['ip_address', ['context.ip']],
      ['device', ['context.userAgent']],
      ['referrer', ['properties.url', 'properties.referrer', 'properties.search', 'properties.path']],
      [
        'usage',
        [
          'type',
          'event',
          'name',
          'category',
          'timestamp',
          'sentAt',
          'sent_at',
          'receivedAt',
          'received_at',
          'originalTimestamp',
          'original_timestamp',
          'version',
          'channel',
          'projectId',
          'context.active',
          'properties.title',
        ],
      ],
    ],
    prefixes: [
      ...TRAIT_PREFIXES.map((prefix) => [`${prefix}address.`, 'address'] as const),
      ['context.location.', 'location'],
      ['context.userAgentData.', 'device'],
      ['context.os.', 'device'],
      ['context.device.', 'device'],
      ['context.screen.', 'device'],
      ['context.network.', 'device'],
      ['context.app.', 'device'],
      ['context.library.', 'device'],
      ['context.page.', 'referrer'],
      ['context.campaign.', 'referrer'],
      ['context.referrer.', 'referrer'],
      ['integrations.', 'usage'],
      ['_metadata.', 'usage'],
      ['context.protocols.', 'usage'],
      ['context.consent.', 'usage'],
    ],
  },
});
