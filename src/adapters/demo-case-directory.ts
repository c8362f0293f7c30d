import { CULTURE_WEIGHTS, ORG_KINDS, ORG_ROOTS, ORG_WORD_ENDINGS } from './demo-case-data.js';
import type { Culture } from './demo-case-data.js';
import {
  caseVariant,
  claimEmail,
  localPart,
  personOf,
  slug,
  titleCaseLocal,
  webmailDomain,
} from './demo-case-people.js';
import type { Person } from './demo-case-people.js';
import { at, pickWeighted, shuffle } from './demo-case-rng.js';
import type { Rng } from './demo-case-rng.js';

type AccountStatus = 'active' | 'disabled' | 'deleted';
type Role = 'owner' | 'admin' | 'member';

interface Organization {
  id: string;
  name: string;
  domain: string | undefined;
}

export interface Account extends Person {
  id: string;
  email: string;
  status: AccountStatus;
  locale: string;
  country: string;
  culture: Culture;
  primaryOrgId: string;
  orgIds: readonly string[];
}

interface Membership {
  orgId: string;
  accountId: string;
  role: Role;
}

export interface Directory {
  organizations: readonly Organization[];
  accounts: readonly Account[];
  memberships: readonly Membership[];
  ids: ReadonlySet<string>;
  /** Lower-cased addresses already in use, so generated outsiders never collide with accounts. */
  emails: ReadonlySet<string>;
  hostile: readonly Account[];
  sharedEmails: readonly string[];
  sharing: ReadonlySet<Account>;
}

const HOSTILE_NAMES = [
  '<script>alert(1)</script>',
  '=HYPERLINK("http://x")',
  'Ana "Nani" Souza',
  "O'Connor, Siobhán",
] as const;
const SHARED_MAILBOXES = ['ml-team', 'data-eng', 'ai-platform'];

/** The dashboard gives every new user a default organization with this name. */
const DEFAULT_ORG_NAME = 'Personal';

/** The company's directory: organizations, their member accounts and roles. */
export function buildDirectory(rng: Rng, counts: { accounts: number; organizations: number }): Directory {
  const organizations = buildOrganizations(rng, counts.organizations);
  const { orgsOfAccount, membersOfOrg } = assignOrganizations(rng, counts.accounts, counts.organizations);
  const emails = new Set<string>();
  const accounts = orgsOfAccount.map((orgs) =>
    buildAccount(
      rng,
      orgs.map((org) => at(organizations, org)),
      emails,
    ),
  );
  const special = distinctIndices(rng, HOSTILE_NAMES.length + 5, accounts.length).map((index) =>
    at(accounts, index),
  );
  const hostile = special.slice(0, HOSTILE_NAMES.length);
  hostile.forEach((account, index) => nameAs(account, at(HOSTILE_NAMES, index)));
  const sharing = special.slice(HOSTILE_NAMES.length);
  const sharedEmails = shareEmails(rng, sharing, organizations, emails);
  return {
    organizations,
    accounts,
    memberships: assignRoles(rng, membersOfOrg, organizations, accounts),
    ids: new Set(accounts.map((account) => account.id)),
    emails,
    hostile,
    sharedEmails,
    sharing: new Set(sharing),
  };
}

function buildOrganizations(rng: Rng, count: number): Organization[] {
  const taken = new Set<string>();
  const organizations = range(count).map(() => buildOrganization(rng, taken));
  const quoted = at(organizations, rng.int(count));
  quoted.name = 'Barker, Lowe & "Associates" LLP';
  quoted.domain = 'barkerlowe.com';
  return organizations;
}

function buildOrganization(rng: Rng, taken: Set<string>): Organization {
  const id = `org-${rng.hex(24)}`;
  if (rng.chance(0.04)) return { id, name: DEFAULT_ORG_NAME, domain: undefined };
  const home = pickWeighted(rng, CULTURE_WEIGHTS);
  let base = organizationBase(rng, home);
  for (let attempt = 1; taken.has(base); attempt++) {
    base = attempt < 20 ? organizationBase(rng, home) : `${organizationBase(rng, home)} ${attempt}`;
  }
  taken.add(base);
  const legal = rng.chance(0.6) ? rng.pick(home.legal) : '';
  const separator = legal === 'Inc.' && rng.chance(0.4) ? ', ' : ' ';
  return {
    id,
    name: legal === '' ? base : `${base}${separator}${legal}`,
    domain: `${slug(base)}.${rng.pick(home.tlds)}`,
  };
}

function organizationBase(rng: Rng, home: Culture): string {
  const roll = rng.next();
  if (roll < 0.65) return `${rng.pick(ORG_ROOTS)} ${rng.pick(ORG_KINDS)}`;
  if (roll < 0.85) return `${rng.pick(home.last).latin} ${rng.pick(ORG_KINDS)}`;
  return `${rng.pick(ORG_ROOTS)}${rng.pick(ORG_WORD_ENDINGS)}`;
}

interface Assignment {
  orgsOfAccount: number[][];
  /** Members of each organization in joining order; the first one founded it and owns it. */
  membersOfOrg: number[][];
}

function assignOrganizations(rng: Rng, accountCount: number, orgCount: number): Assignment {
  const orgsOfAccount: number[][] = range(accountCount).map(() => []);
  const membersOfOrg: number[][] = range(orgCount).map(() => []);
  shuffle(rng, range(accountCount)).forEach((account, position) => {
    const orgs = at(orgsOfAccount, account);
    const wanted = Math.min(orgCount, membershipCount(rng));
    // The first accounts found one organization each, so no organization is left without an owner.
    orgs.push(position < orgCount ? position : skewedOrg(rng, orgCount));
    while (orgs.length < wanted) {
      const org = skewedOrg(rng, orgCount);
      if (!orgs.includes(org)) orgs.push(org);
    }
    orgs.forEach((org) => at(membersOfOrg, org).push(account));
  });
  return { orgsOfAccount, membersOfOrg };
}

function membershipCount(rng: Rng): number {
  const roll = rng.next();
  return roll < 0.75 ? 1 : roll < 0.95 ? 2 : 3;
}

/** A few large customers and a long tail of small teams. */
function skewedOrg(rng: Rng, orgCount: number): number {
  return Math.min(orgCount - 1, Math.floor(orgCount * rng.next() ** 2.2));
}

function assignRoles(
  rng: Rng,
  membersOfOrg: readonly (readonly number[])[],
  organizations: readonly Organization[],
  accounts: readonly Account[],
): Membership[] {
  return membersOfOrg.flatMap((members, org) => {
    const admins = members.length < 3 ? 0 : rng.chance(0.35) ? 1 : rng.chance(0.2) ? 2 : 0;
    const orgId = at(organizations, org).id;
    return members.map((account, index): Membership => ({
      orgId,
      accountId: at(accounts, account).id,
      role: index === 0 ? 'owner' : index <= admins ? 'admin' : 'member',
    }));
  });
}

const STATUSES: readonly (readonly [AccountStatus, number])[] = [
  ['active', 935],
  ['disabled', 60],
  ['deleted', 5],
];

function buildAccount(rng: Rng, orgs: readonly Organization[], emails: Set<string>): Account {
  const home = pickWeighted(rng, CULTURE_WEIGHTS);
  const person = personOf(rng, home);
  // Some people signed up with an email address only.
  const anonymous = rng.chance(0.01);
  const primary = at(orgs, 0);
  const companyMail = primary.domain !== undefined && rng.chance(0.6);
  const domain = primary.domain !== undefined && companyMail ? primary.domain : webmailDomain(rng, home);
  const address = claimEmail(rng, emails, localPart(rng, person.slugs, companyMail), domain);
  return {
    given: anonymous ? '' : person.given,
    name: anonymous ? '' : person.name,
    slugs: person.slugs,
    id: `user-${rng.hex(24)}`,
    // Some people typed their address with capitals at sign-up and the directory kept it.
    email: rng.chance(0.03) ? titleCaseLocal(address) : address,
    status: pickWeighted(rng, STATUSES),
    locale: rng.pick(home.locales),
    country: rng.pick(home.countries),
    culture: home,
    primaryOrgId: primary.id,
    orgIds: orgs.map((org) => org.id),
  };
}

function nameAs(account: Account, name: string): void {
  account.name = name;
  account.given = name;
}

function distinctIndices(rng: Rng, count: number, below: number): number[] {
  const chosen = new Set<number>();
  while (chosen.size < count) chosen.add(rng.int(below));
  return [...chosen];
}

/**
 * Two addresses held by several accounts: one person who signed up twice with different capitals,
 * and a team mailbox that three colleagues used for their own accounts.
 */
function shareEmails(
  rng: Rng,
  sharing: readonly Account[],
  organizations: readonly Organization[],
  emails: Set<string>,
): string[] {
  const [twiceA, twiceB, ...team] = sharing;
  if (twiceA === undefined || twiceB === undefined) throw new RangeError('shareEmails needs five accounts');
  const personal = twiceA.email.toLowerCase();
  Object.assign(twiceB, {
    name: twiceA.name,
    given: twiceA.given,
    slugs: twiceA.slugs,
    country: twiceA.country,
  });
  twiceA.email = caseVariant(personal, 0);
  twiceB.email = caseVariant(personal, 1);
  const domain =
    organizations.find((org) => org.id === team[0]?.primaryOrgId)?.domain ??
    organizations.find((org) => org.domain !== undefined)?.domain ??
    'example.com';
  const mailbox = claimEmail(rng, emails, rng.pick(SHARED_MAILBOXES), domain);
  team.forEach((account, index) => {
    account.email = caseVariant(mailbox, index);
  });
  return [personal, mailbox.toLowerCase()];
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index);
}
