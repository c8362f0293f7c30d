import { defineFormat } from './format-spec.js';
import { CAMPAIGN_PREFIXES, CLICK_IDS } from './web-fields.js';

const USER_IDS = [
  'user_id',
  'id',
  'uid',
  'distinct_id',
  'customer_id',
  'external_id',
  'contact_id',
  'person_id',
  'member_id',
];

/**
 * Any CSV, NDJSON or JSON array of objects, by common field names matched ignoring case and
 * punctuation (`user_id`, `userId` and "User ID" alike). A nested field nobody listed takes the
 * category of its last segment, so `user.email` is an email; identity keys are top-level only.
 * `account_id` is left out of the identity keys: it names a person in some products and an
 * organization in others.
 */
export const GENERIC = defineFormat({
  name: 'generic',
  signatures: [],
  looseNames: true,
  leafFallback: true,
  identity: {
    userIds: USER_IDS,
    emails: ['email', 'email_address', 'user_email', 'contact_email', 'mail'],
    organizationIds: ['org_id', 'organization_id', 'organisation_id'],
    groupContainers: [],
  },
  places: {
    countries: ['country_code', 'country'],
    regions: ['region', 'state'],
  },
  fields: {
    names: [
      [
        'identifier',
        [
          ...USER_IDS,
          'account_id',
          'anonymous_id',
          'device_id',
          'session_id',
          'org_id',
          'organization_id',
          'organisation_id',
          'company_id',
          'tenant_id',
        ],
      ],
      [
        'name',
        [
          'name',
          'first_name',
          'last_name',
          'full_name',
          'display_name',
          'given_name',
          'family_name',
          'username',
        ],
      ],
      ['email', ['email', 'email_address', 'user_email', 'contact_email', 'mail']],
      ['phone', ['phone', 'phone_number', 'mobile', 'mobile_phone', 'telephone', 'tel', 'fax']],
      [
        'address',
        ['address', 'street', 'street_address', 'address_line1', 'address_line2', 'postal_code', 'zip'],
      ],
      ['birth_date', ['birth_date', 'birthdate', 'date_of_birth', 'dob', 'birthday', 'age']],
      [
        'location',
        ['city', 'region', 'state', 'country', 'country_code', 'timezone', 'time_zone', 'tz', 'locale'],
      ],
      ['precise_location', ['latitude', 'longitude', 'lat', 'lng', 'lon']],
      ['ip_address', ['ip', 'ip_address', 'client_ip', 'remote_addr']],
      [
        'device',
        [
          'user_agent',
          'ua',
          'os',
          'os_version',
          'browser',
          'browser_version',
          'device',
          'device_type',
          'platform',
        ],
      ],
      [
        'referrer',
        [
          'referrer',
          'referer',
          'referring_domain',
          'landing_page',
          'url',
          'page_url',
          'source',
          'medium',
          ...CLICK_IDS,
        ],
      ],
      [
        'usage',
        [
          'event',
          'event_name',
          'event_type',
          'time',
          'timestamp',
          'created_at',
          'updated_at',
          'last_seen',
          'last_login',
        ],
      ],
      ['credentials', ['password', 'password_hash', 'security_answer']],
      ['api_key', ['api_key', 'token', 'access_token', 'refresh_token', 'secret']],
      ['payment', ['card_number', 'credit_card', 'iban', 'card_last4']],
      ['government_id', ['ssn', 'passport', 'passport_number', 'national_id', 'tax_id']],
    ],
    prefixes: CAMPAIGN_PREFIXES,
  },
});
