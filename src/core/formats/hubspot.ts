import { defineFormat, looseKeys } from './format-spec.js';

/**
 * HubSpot contacts exported as CSV, with column labels ("Record ID", "First Name") or internal
 * names (`hs_object_id`, `firstname`); names match ignoring case and punctuation, so both are
 * listed only where they differ. "Associated Company ID" is HubSpot's own company number, not an
 * organization id of the directory, so it is an org key only when configured as one.
 */
export const HUBSPOT = defineFormat({
  name: 'hubspot',
  signatures: [
    {
      weight: 1,
      test: (r) => {
        const keys = looseKeys(r);
        return keys.has('hsobjectid') || keys.has('recordid');
      },
    },
    {
      weight: 0.7,
      test: (r) => Object.keys(r).filter((key) => key.startsWith('hs_')).length >= 2,
    },
  ],
  looseNames: true,
  identity: {
    userIds: ['hs_object_id', 'Record ID', 'vid', 'Contact ID'],
    emails: ['email'],
    organizationIds: [],
    groupContainers: [],
  },
  places: {
    countries: ['country', 'Country/Region', 'ip_country_code', 'ip_country'],
    regions: ['state', 'State/Region', 'ip_state_code', 'ip_state', 'IP State/Region'],
  },
  fields: {
    names: [
      [
        'identifier',
        [
          'hs_object_id',
          'Record ID',
          'vid',
          'Contact ID',
          'associatedcompanyid',
          'Associated Company ID',
          'hs_merged_object_ids',
        ],
      ],
      ['name', ['firstname', 'lastname', 'salutation']],
      [
        'email',
        ['email', 'hs_additional_emails', 'Additional email addresses', 'hs_email_domain', 'Email Domain'],
      ],
      [
        'phone',
        [
          'phone',
          'Phone Number',
          'mobilephone',
          'Mobile Phone Number',
          'fax',
          'Fax Number',
          'hs_whatsapp_phone_number',
        ],
      ],
      ['address', ['address', 'Street Address', 'zip', 'Postal Code']],
      ['birth_date', ['date_of_birth']],
      [
        'location',
        [
          'city',
          'state',
          'State/Region',
          'country',
          'Country/Region',
          'ip_city',
          'ip_state',
          'IP State/Region',
          'ip_state_code',
          'ip_country',
          'ip_country_code',
          'ip_zipcode',
          'hs_timezone',
          'Time Zone',
          'hs_ip_timezone',
        ],
      ],
      ['precise_location', ['ip_latlon']],
      ['ip_address', ['ipaddress', 'IP Address']],
      [
        'referrer',
        [
          'hs_analytics_first_referrer',
          'First Referring Site',
          'hs_analytics_last_referrer',
          'Last Referring Site',
          'hs_analytics_first_url',
          'First Page Seen',
          'hs_analytics_last_url',
          'Last Page Seen',
          'hs_analytics_source',
          'Original Source',
          'hs_analytics_source_data_1',
          'Original Source Drill-Down 1',
          'hs_analytics_source_data_2',
          'Original Source Drill-Down 2',
          'hs_latest_source',
          'Latest Source',
        ],
      ],
      [
        'usage',
        [
          'createdate',
          'lastmodifieddate',
          'hs_lastmodifieddate',
          'lifecyclestage',
          'hs_lead_status',
          'Lead Status',
          'hs_marketable_status',
          'Marketing contact status',
          'notes_last_updated',
          'Last Activity Date',
          'notes_last_contacted',
          'Last Contacted',
          'num_contacted_notes',
          'num_notes',
          'hs_analytics_num_page_views',
          'Number of Pageviews',
          'hs_analytics_num_visits',
          'Number of Sessions',
        ],
      ],
    ],
    prefixes: [
      ['hs_analytics_', 'usage'],
      ['hs_email_', 'usage'],
      ['hs_sales_email_', 'usage'],
      ['hs_social_', 'usage'],
      ['hs_sequences_', 'usage'],
      ['hs_date_entered_', 'usage'],
      ['hs_date_exited_', 'usage'],
      ['hs_time_in_', 'usage'],
      ['hs_v2_', 'usage'],
    ],
  },
});
