import { defineFormat, isJsonObject, looseKeys } from './format-spec.js';

const CONTACT_COLUMNS = [
  'accountid',
  'masterrecordid',
  'reportstoid',
  'mailingcity',
  'mailingstreet',
  'mailingcountry',
];
const ADDRESS_PARTS = ['Street', 'PostalCode', 'Address'];
const PLACE_PARTS = ['City', 'State', 'StateCode', 'Country', 'CountryCode'];
const PRECISE_PARTS = ['Latitude', 'Longitude', 'GeocodeAccuracy'];

const addresses = (parts: readonly string[]): string[] =>
  ['Mailing', 'Other'].flatMap((kind) => parts.map((part) => `${kind}${part}`));

/**
 * Salesforce Contact records as Data Loader writes them (API names, often upper-cased) or as
 * labelled report columns; names match ignoring case and punctuation. Record ids are 18-character
 * org-unique strings, so `Id` is compared as a user id and `AccountId` as an organization id.
 * Custom fields (`…__c`) are the customer's own and reported as unknown.
 */
export const SALESFORCE = defineFormat({
  name: 'salesforce',
  signatures: [
    {
      weight: 1,
      test: (r) => {
        const keys = looseKeys(r);
        return keys.has('id') && CONTACT_COLUMNS.some((column) => keys.has(column));
      },
    },
    { weight: 1, test: (r) => isJsonObject(r.attributes) && typeof r.attributes.type === 'string' },
  ],
  looseNames: true,
  identity: {
    userIds: ['Id', 'Contact ID'],
    emails: ['Email'],
    organizationIds: ['AccountId', 'Account ID'],
    groupContainers: [],
  },
  places: {
    countries: addresses(['CountryCode', 'Country']),
    regions: addresses(['StateCode', 'State']),
  },
  fields: {
    names: [
      [
        'identifier',
        ['Id', 'Contact ID', 'AccountId', 'Account ID', 'MasterRecordId', 'ReportsToId', 'IndividualId'],
      ],
      ['name', ['FirstName', 'LastName', 'MiddleName', 'Suffix', 'Salutation', 'Name', 'Full Name']],
      ['email', ['Email']],
      [
        'phone',
        [
          'Phone',
          'MobilePhone',
          'Mobile',
          'HomePhone',
          'OtherPhone',
          'AssistantPhone',
          'Fax',
          'Business Phone',
        ],
      ],
      ['address', addresses(ADDRESS_PARTS)],
      ['birth_date', ['Birthdate']],
      ['location', addresses(PLACE_PARTS)],
      ['precise_location', addresses(PRECISE_PARTS)],
      ['referrer', ['LeadSource']],
      ['content', ['Description', 'PhotoUrl']],
      [
        'usage',
        [
          'OwnerId',
          'CreatedById',
          'LastModifiedById',
          'CreatedDate',
          'LastModifiedDate',
          'SystemModstamp',
          'LastActivityDate',
          'LastCURequestDate',
          'LastCUUpdateDate',
          'LastViewedDate',
          'LastReferencedDate',
          'IsDeleted',
          'EmailBouncedReason',
          'EmailBouncedDate',
          'IsEmailBounced',
          'HasOptedOutOfEmail',
          'HasOptedOutOfFax',
          'DoNotCall',
          'Jigsaw',
          'JigsawContactId',
          'CleanStatus',
        ],
      ],
    ],
    prefixes: [
      ['MailingAddress.', 'address'],
      ['OtherAddress.', 'address'],
      ['attributes.', 'usage'],
    ],
  },
});
