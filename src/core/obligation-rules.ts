import { CATEGORIES, type Category } from './categories.js';
import type { CategoryCondition, Duty, JurisdictionRule, RuleBook } from './obligation-rule.js';

/*
 * Sources: docs/obligations.md lists them per rule. Decision support, not legal advice: where a law
 * turns on risk or harm the rules say "judgement call" and why, and leave the call to a person.
 */

const ANY_PERSONAL_DATA: CategoryCondition = { any: [...CATEGORIES] };

/** Categories whose exposure makes harm likely: account takeover, fraud, identity theft, stigma. */
const HIGH_RISK: Category[] = ['credentials', 'api_key', 'payment', 'government_id', 'health'];
const EMAIL_WITH_PASSWORD: CategoryCondition = { all: [{ any: ['email'] }, { any: ['credentials'] }] };

const GDPR_CHECKLIST = [
  'Nature of the breach, including the categories and approximate number of data subjects and of records (Art. 33(3)(a))',
  'Name and contact details of the data protection officer or other contact point (Art. 33(3)(b))',
  'Likely consequences of the breach (Art. 33(3)(c))',
  'Measures taken or proposed, including to mitigate possible adverse effects (Art. 33(3)(d))',
  'Reasons for any delay beyond 72 hours; information may be given in phases (Art. 33(1), 33(4))',
  'To individuals: the same in clear and plain language (Art. 34(2))',
  'Document the breach, its effects and the remedial action, whether notified or not (Art. 33(5))',
];

function gdprDuties(authority: string, article: string): Duty[] {
  return [
    {
      recipient: 'authority',
      to: authority,
      clauses: [
        {
          status: 'judgement_call',
          encrypted: true,
          because:
            'The data was encrypted with the key not exposed, so the breach may be "unlikely to result in a risk" and need no notification; record why',
        },
        {
          status: 'required',
          exposed: ANY_PERSONAL_DATA,
          because: `Personal data was exposed and names, addresses and identifiers invite targeted phishing, so a risk is not "unlikely": notify the supervisory authority (${article} 33)`,
        },
      ],
      otherwise: { status: 'not_required', because: 'No personal data of people here was exposed' },
      deadline: {
        kind: 'hours',
        hours: 72,
        text: 'without undue delay and within 72 hours of awareness where feasible',
      },
    },
    {
      recipient: 'individuals',
      to: 'the affected people',
      clauses: [
        {
          status: 'not_required',
          encrypted: true,
          because:
            'Encrypted data with the key not exposed is an exception to telling individuals (Art. 34(3)(a))',
        },
        {
          status: 'required',
          exposed: { any: HIGH_RISK },
          because:
            'Passwords, keys, payment, government id or health data make a high risk to the people likely: tell them (Art. 34(1))',
        },
        {
          status: 'judgement_call',
          because:
            'Required only when the breach is likely to result in a high risk; telling them is recommended as good practice even below it (EDPB Guidelines 01/2021)',
        },
      ],
      otherwise: { status: 'not_required', because: 'No personal data of people here was exposed' },
      deadline: { kind: 'no_date', text: 'without undue delay' },
    },
    {
      recipient: 'record',
      to: 'the internal breach register',
      clauses: [],
      otherwise: {
        status: 'required',
        because: 'Every personal data breach is documented, notified or not (Art. 33(5))',
      },
      deadline: { kind: 'no_date', text: 'as part of the response' },
    },
  ];
}

const EU: JurisdictionRule = {
  jurisdiction: 'EU',
  name: 'European Union / EEA (GDPR)',
  citation: 'GDPR Art. 33, 34; EDPB Guidelines 9/2022 and 01/2021',
  timeZone: 'company',
  personalData: ANY_PERSONAL_DATA,
  personalDataMeans: 'any information relating to an identifiable person',
  duties: gdprDuties('the lead supervisory authority', 'GDPR Art.'),
  checklist: GDPR_CHECKLIST,
};

const UK: JurisdictionRule = {
  jurisdiction: 'UK',
  name: 'United Kingdom (UK GDPR)',
  citation: 'UK GDPR Art. 33, 34; ICO guidance on personal data breaches',
  timeZone: 'Europe/London',
  personalData: ANY_PERSONAL_DATA,
  personalDataMeans: 'any information relating to an identifiable person',
  duties: gdprDuties("the Information Commissioner's Office (ICO)", 'UK GDPR Art.'),
  checklist: GDPR_CHECKLIST,
};

const NOT_UNAUTHORIZED = {
  status: 'not_required' as const,
  unauthorized: false,
  because: 'The statute covers unauthorized acquisition; this data was not taken by an unauthorized person',
};
const ENCRYPTED_SAFE_HARBOUR = {
  status: 'not_required' as const,
  encrypted: true,
  because: 'Encrypted data is exempt while the key or credential to read it was not also acquired',
};

const CALIFORNIA_PERSONAL: CategoryCondition = {
  either: [
    { all: [{ any: ['name'] }, { any: ['government_id', 'payment', 'health'] }] },
    EMAIL_WITH_PASSWORD,
  ],
};
const CALIFORNIA_CHECKLIST = [
  'Titled "Notice of Data Breach" with the headings What Happened, What Information Was Involved, What We Are Doing, What You Can Do, For More Information (notices plan gives California residents this layout)',
  'Date of the breach, or the estimated date or date range, and the date of the notice',
  'Whether notification was delayed by a law enforcement investigation',
  'Types of personal information involved',
  'Toll-free numbers and addresses of the major credit bureaus when an SSN, driver’s licence or ID number was exposed',
  'For a username or email with password: tell people to change the password and security questions',
];

function californiaResidents(deadline: Duty['deadline']): Duty {
  return {
    recipient: 'individuals',
    to: 'California residents',
    clauses: [
      NOT_UNAUTHORIZED,
      ENCRYPTED_SAFE_HARBOUR,
      {
        status: 'required',
        because:
          'Their name with an SSN, licence or ID number, financial account, medical or insurance data, or their email or username with a password or security answer, was acquired',
      },
    ],
    otherwise: { status: 'not_required', because: 'No resident’s personal information was acquired' },
    deadline,
  };
}

function californiaAttorneyGeneral(deadline: Duty['deadline']): Duty {
  return {
    recipient: 'attorney_general',
    to: 'California Attorney General (a sample copy of the notice)',
    clauses: [
      NOT_UNAUTHORIZED,
      ENCRYPTED_SAFE_HARBOUR,
      {
        status: 'required',
        affectedOver: 500,
        because: 'More than 500 California residents must be notified',
      },
    ],
    otherwise: { status: 'not_required', because: '500 or fewer California residents must be notified' },
    deadline,
  };
}

const CALIFORNIA_2024: JurisdictionRule = {
  jurisdiction: 'US-CA',
  name: 'California (Civ. Code 1798.82)',
  citation: 'Cal. Civ. Code § 1798.82',
  timeZone: 'America/Los_Angeles',
  personalData: CALIFORNIA_PERSONAL,
  personalDataMeans:
    'a name with an SSN, licence or ID number, financial account, medical or health-insurance data, or an email or username with a password or security answer',
  duties: [
    californiaResidents({
      kind: 'no_date',
      text: 'in the most expedient time possible and without unreasonable delay',
    }),
    californiaAttorneyGeneral({ kind: 'no_date', text: 'when the residents are notified' }),
  ],
  checklist: CALIFORNIA_CHECKLIST,
  // § 1798.82(d)(1): titled "Notice of Data Breach" with five headings, in this order.
  noticeLayout: 'notice-of-data-breach',
};

const CALIFORNIA_2026: JurisdictionRule = {
  ...CALIFORNIA_2024,
  citation: 'Cal. Civ. Code § 1798.82 as amended by SB 446 (from 2026-01-01)',
  duties: [
    californiaResidents({ kind: 'calendar_days', days: 30, text: 'within 30 calendar days of discovery' }),
    californiaAttorneyGeneral({
      kind: 'no_date',
      text: 'within 15 calendar days of notifying the residents',
    }),
  ],
};

/** Medical and health-insurance data became private information on 2025-03-21. */
function newYork(withHealth: boolean): JurisdictionRule {
  const sensitive: Category[] = withHealth
    ? ['government_id', 'payment', 'health']
    : ['government_id', 'payment'];
  return {
    jurisdiction: 'US-NY',
    name: 'New York (GBL 899-aa)',
    citation: withHealth
      ? 'N.Y. Gen. Bus. Law § 899-aa as amended December 2024 (S2659B; medical data from 2025-03-21)'
      : 'N.Y. Gen. Bus. Law § 899-aa as amended December 2024 (S2659B)',
    timeZone: 'America/New_York',
    personalData: {
      either: [
        { all: [{ any: ['name', 'identifier', 'email', 'phone'] }, { any: sensitive }] },
        EMAIL_WITH_PASSWORD,
      ],
    },
    personalDataMeans: `a personal identifier with an SSN, licence number, account number or biometrics${withHealth ? ', medical or health-insurance data' : ''}, or an email or username with a password or security answer`,
    duties: [
      {
        recipient: 'individuals',
        to: 'New York residents',
        clauses: [
          NOT_UNAUTHORIZED,
          ENCRYPTED_SAFE_HARBOUR,
          { status: 'required', because: 'Their private information was acquired' },
        ],
        otherwise: { status: 'not_required', because: 'No resident’s private information was acquired' },
        deadline: { kind: 'calendar_days', days: 30, text: 'within 30 days of discovery' },
      },
      {
        recipient: 'state_agencies',
        to: 'Attorney General, Department of State and Division of State Police (and DFS for DFS-regulated entities)',
        clauses: [
          NOT_UNAUTHORIZED,
          ENCRYPTED_SAFE_HARBOUR,
          { status: 'required', because: 'Residents are being notified' },
        ],
        otherwise: { status: 'not_required', because: 'No resident is notified' },
        deadline: {
          kind: 'calendar_days',
          days: 30,
          text: 'with the residents’ notice, within 30 days of discovery',
        },
      },
      {
        recipient: 'credit_bureaus',
        to: 'the consumer reporting agencies',
        clauses: [
          NOT_UNAUTHORIZED,
          ENCRYPTED_SAFE_HARBOUR,
          {
            status: 'required',
            affectedOver: 5000,
            because: 'More than 5,000 New York residents are notified',
          },
        ],
        otherwise: { status: 'not_required', because: '5,000 or fewer New York residents are notified' },
        deadline: {
          kind: 'no_date',
          text: 'with the residents’ notice: timing, content, distribution, number',
        },
      },
    ],
    checklist: [
      'Contact information of the person or business giving the notice',
      'Telephone numbers and websites of the state and federal agencies on identity theft',
      'The categories of information acquired, including which elements of private information',
    ],
  };
}

const TEXAS: JurisdictionRule = {
  jurisdiction: 'US-TX',
  name: 'Texas (Bus. & Com. Code 521.053)',
  citation: 'Tex. Bus. & Com. Code § 521.053',
  timeZone: 'America/Chicago',
  personalData: {
    either: [{ all: [{ any: ['name'] }, { any: ['government_id', 'payment'] }] }, { any: ['health'] }],
  },
  personalDataMeans:
    'a name with an SSN, licence or government ID or a financial account with its code, or health information',
  duties: [
    {
      recipient: 'individuals',
      to: 'the affected people',
      clauses: [
        NOT_UNAUTHORIZED,
        ENCRYPTED_SAFE_HARBOUR,
        { status: 'required', because: 'Their sensitive personal information was acquired' },
      ],
      otherwise: { status: 'not_required', because: 'No sensitive personal information was acquired' },
      deadline: {
        kind: 'calendar_days',
        days: 60,
        text: 'within 60 days of determining the breach occurred',
      },
    },
    {
      recipient: 'attorney_general',
      to: 'Texas Attorney General (online form)',
      clauses: [
        NOT_UNAUTHORIZED,
        ENCRYPTED_SAFE_HARBOUR,
        { status: 'required', affectedAtLeast: 250, because: 'At least 250 Texans are affected' },
      ],
      otherwise: { status: 'not_required', because: 'Fewer than 250 Texans are affected' },
      deadline: {
        kind: 'calendar_days',
        days: 30,
        text: 'within 30 days of determining the breach occurred',
      },
    },
    {
      recipient: 'credit_bureaus',
      to: 'each nationwide consumer reporting agency',
      clauses: [
        NOT_UNAUTHORIZED,
        ENCRYPTED_SAFE_HARBOUR,
        { status: 'required', affectedOver: 10_000, because: 'More than 10,000 people are notified' },
      ],
      otherwise: { status: 'not_required', because: '10,000 or fewer people are notified' },
      deadline: { kind: 'no_date', text: 'without unreasonable delay' },
    },
  ],
  checklist: [
    'To the Attorney General: a detailed description of the breach and the information acquired',
    'The number of Texans affected and the number notified, and how they were notified',
    'Measures taken regarding the breach and planned after it',
    'Whether law enforcement is investigating',
  ],
};

const CANADA: JurisdictionRule = {
  jurisdiction: 'CA',
  name: 'Canada (PIPEDA)',
  citation: 'PIPEDA s. 10.1–10.3; Breach of Security Safeguards Regulations SOR/2018-64',
  timeZone: 'America/Toronto',
  personalData: ANY_PERSONAL_DATA,
  personalDataMeans: 'information about an identifiable individual',
  duties: [
    {
      recipient: 'authority',
      to: 'Office of the Privacy Commissioner of Canada, the affected people and organizations that can reduce the harm',
      clauses: [
        {
          status: 'judgement_call',
          exposed: { any: HIGH_RISK },
          because:
            'Passwords, keys, payment, government id or health data make a "real risk of significant harm" likely: assess sensitivity and probability of misuse',
        },
      ],
      otherwise: {
        status: 'not_required',
        because:
          'Contact and usage data alone is probably below a "real risk of significant harm"; record the assessment',
      },
      deadline: { kind: 'no_date', text: 'as soon as feasible after determining the breach' },
    },
    {
      recipient: 'record',
      to: 'the internal breach record',
      clauses: [],
      otherwise: {
        status: 'required',
        because: 'Every breach of security safeguards is recorded and kept for 24 months',
      },
      deadline: { kind: 'no_date', text: 'kept for 24 months after the day the breach was determined' },
    },
  ],
  checklist: [
    'Circumstances of the breach and its cause, if known',
    'Day or period of the breach',
    'Personal information involved',
    'Number of people affected',
    'Steps taken to reduce the risk of harm and to notify',
    'What the people can do to reduce the risk, and a contact',
  ],
};

const AUSTRALIA: JurisdictionRule = {
  jurisdiction: 'AU',
  name: 'Australia (Notifiable Data Breaches scheme)',
  citation: 'Privacy Act 1988 (Cth) s 26WE–26WL',
  timeZone: 'Australia/Sydney',
  personalData: ANY_PERSONAL_DATA,
  personalDataMeans: 'information about an identified or reasonably identifiable individual',
  duties: [
    {
      recipient: 'authority',
      to: 'Office of the Australian Information Commissioner (OAIC) and the affected people, or a public statement',
      clauses: [
        {
          status: 'judgement_call',
          exposed: { any: HIGH_RISK },
          because:
            'Passwords, keys, payment, government id or health data may make serious harm likely: finish the assessment within 30 days (s 26WH); applies to entities with turnover over A$3 million',
          deadline: {
            kind: 'calendar_days',
            days: 30,
            text: 'assessment within 30 days (s 26WH), then as soon as practicable',
          },
        },
      ],
      otherwise: {
        status: 'not_required',
        because:
          'Contact and usage data alone is probably not likely to cause serious harm; record the assessment',
      },
      deadline: { kind: 'no_date', text: 'as soon as practicable after an eligible breach is confirmed' },
    },
  ],
  checklist: [
    'Identity and contact details of the entity (s 26WK(3)(a))',
    'Description of the breach (s 26WK(3)(b))',
    'Kinds of information concerned (s 26WK(3)(c))',
    'Recommended steps for individuals (s 26WK(3)(d))',
  ],
};

const BRAZIL: JurisdictionRule = {
  jurisdiction: 'BR',
  name: 'Brazil (LGPD)',
  citation: 'LGPD Art. 48; ANPD Resolution CD/ANPD 15/2024',
  timeZone: 'America/Sao_Paulo',
  personalData: ANY_PERSONAL_DATA,
  personalDataMeans: 'information about an identified or identifiable natural person',
  duties: [
    {
      recipient: 'authority',
      to: 'ANPD (its form) and the data subjects',
      clauses: [
        {
          status: 'required',
          exposed: { any: ['health', 'payment', 'credentials', 'api_key', 'content'] },
          because:
            'Sensitive, financial, authentication or secrecy-protected data was exposed, which with a relevant risk makes the breach reportable (Res. 15/2024 Art. 5)',
        },
      ],
      otherwise: {
        status: 'judgement_call',
        because:
          'No sensitive, financial or authentication data: reportable only if the breach is "large scale" by the number of people affected (Res. 15/2024 Art. 5)',
      },
      deadline: {
        kind: 'business_days',
        days: 3,
        text: 'within 3 business days of awareness; supplement within 20 business days',
      },
    },
  ],
  checklist: [
    'ANPD breach form: description, nature and categories of data, number of data subjects',
    'Technical and security measures used, risks and likely consequences',
    'Reasons for any delay; measures taken or to be taken',
    'Data protection officer contact',
    'A public notice for at least 90 days where data subjects cannot be reached',
  ],
};

const JAPAN: JurisdictionRule = {
  jurisdiction: 'JP',
  name: 'Japan (APPI)',
  citation: 'APPI Art. 26; PPC Enforcement Rules Art. 7–10 and guidelines',
  timeZone: 'Asia/Tokyo',
  personalData: ANY_PERSONAL_DATA,
  personalDataMeans: 'information that identifies a living individual',
  duties: [
    {
      recipient: 'authority',
      to: 'Personal Information Protection Commission (preliminary report)',
      clauses: [
        {
          status: 'required',
          unauthorized: true,
          because:
            'Unauthorized access suggests an unlawful purpose, reportable from a single person (Rules Art. 7(iii))',
        },
        {
          status: 'required',
          exposed: { any: ['health', 'payment', 'credentials', 'api_key'] },
          because: 'Sensitive data or data risking financial harm was exposed (Rules Art. 7(i)–(ii))',
        },
        {
          status: 'required',
          affectedOver: 1000,
          because: 'More than 1,000 people are affected (Rules Art. 7(iv))',
        },
      ],
      otherwise: {
        status: 'not_required',
        because: 'None of the reportable situations of Rules Art. 7 applies',
      },
      deadline: {
        kind: 'calendar_days',
        days: 3,
        text: 'promptly, about 3 to 5 days: the earliest is shown',
      },
    },
    {
      recipient: 'authority',
      to: 'Personal Information Protection Commission (final report)',
      clauses: [
        {
          status: 'required',
          unauthorized: true,
          because: 'Final report for a breach with a suspected unlawful purpose',
          deadline: { kind: 'calendar_days', days: 60, text: 'within 60 days (unlawful purpose)' },
        },
        {
          status: 'required',
          exposed: { any: ['health', 'payment', 'credentials', 'api_key'] },
          because: 'Final report for sensitive data or data risking financial harm',
        },
        { status: 'required', affectedOver: 1000, because: 'Final report for more than 1,000 people' },
      ],
      otherwise: {
        status: 'not_required',
        because: 'None of the reportable situations of Rules Art. 7 applies',
      },
      deadline: { kind: 'calendar_days', days: 30, text: 'within 30 days' },
    },
    {
      recipient: 'individuals',
      to: 'the affected people',
      clauses: [
        {
          status: 'required',
          unauthorized: true,
          because: 'People are told whenever the Commission is (Art. 26(2))',
        },
        {
          status: 'required',
          exposed: { any: ['health', 'payment', 'credentials', 'api_key'] },
          because: 'People are told whenever the Commission is (Art. 26(2))',
        },
        {
          status: 'required',
          affectedOver: 1000,
          because: 'People are told whenever the Commission is (Art. 26(2))',
        },
      ],
      otherwise: { status: 'not_required', because: 'The Commission is not told, so neither are the people' },
      deadline: { kind: 'no_date', text: 'promptly, as the situation allows' },
    },
  ],
  checklist: [
    'Summary of the breach',
    'Personal data items involved',
    'Number of people affected',
    'Cause',
    'Whether there is secondary harm, and its details',
    'Response to the affected people',
    'Whether and how the breach is published',
    'Measures to prevent recurrence',
    'Other matters for reference',
  ],
};

const S2659B: RuleBook = {
  version: '2024-12-21',
  effectiveFrom: '2024-12-21',
  changes: 'New York: 30-day deadline for residents (S2659B)',
  rules: [EU, UK, CALIFORNIA_2024, newYork(false), TEXAS, CANADA, AUSTRALIA, BRAZIL, JAPAN],
};

const NEW_YORK_MEDICAL: RuleBook = {
  version: '2025-03-21',
  effectiveFrom: '2025-03-21',
  changes: 'New York: medical and health-insurance information is private information',
  rules: S2659B.rules.map((rule) => (rule.jurisdiction === 'US-NY' ? newYork(true) : rule)),
};

const SB446: RuleBook = {
  version: '2026-01-01',
  effectiveFrom: '2026-01-01',
  changes:
    'California: residents within 30 calendar days, the Attorney General within 15 days after (SB 446)',
  rules: NEW_YORK_MEDICAL.rules.map((rule) => (rule.jurisdiction === 'US-CA' ? CALIFORNIA_2026 : rule)),
};

/** Every version, oldest first. */
export const OBLIGATION_RULE_BOOKS: readonly RuleBook[] = [S2659B, NEW_YORK_MEDICAL, SB446];
