import {
  ACADEMIC_DOMAINS,
  CAMPAIGNS,
  CULTURE_WEIGHTS,
  GEO,
  GEO_COUNTRIES,
  MAJOR_VERSIONS,
  PLATFORMS,
  REFERRERS,
  SAFARI_VERSIONS,
} from './demo-case-data.js';
import type { City, Culture } from './demo-case-data.js';
import type { Account, Directory } from './demo-case-directory.js';
import {
  caseVariant,
  claimEmail,
  localPart,
  personOf,
  titleCaseLocal,
  webmailDomain,
} from './demo-case-people.js';
import type { Person } from './demo-case-people.js';
import { at, pickWeighted, shuffle } from './demo-case-rng.js';
import type { Rng } from './demo-case-rng.js';

const CREATED_FROM = Date.UTC(2021, 5, 1);
/** The attacker's export ran on 9 November 2025; nothing in the dataset is newer. */
const EXPORTED_AT = Date.UTC(2025, 10, 9, 6, 0, 0);

type Properties = Record<string, unknown>;

interface Profile {
  $distinct_id: string | number;
  $properties: Properties;
}

type LineKind =
  | 'account'
  | 'duplicate'
  | 'device-email'
  | 'stranger'
  | 'uncontactable'
  | 'ambiguous'
  | 'hostile-name'
  | 'crlf-name'
  | 'proto-key'
  | 'malformed';

interface DatasetState {
  rng: Rng;
  directory: Directory;
  /** Directory accounts in the order the export lists them. */
  exported: readonly Account[];
  exportedCount: number;
  emails: Set<string>;
  /** Outsiders' addresses seen once, so a second profile can reuse one. */
  outsiders: { email: string; name: string }[];
  counters: { account: number; hostile: number; ambiguous: number; malformed: number };
}

const AMBIGUOUS_PROFILES = 4;

/** The vendor's dataset: one Mixpanel Engage profile per line, a few of them malformed. */
export function* datasetLines(rng: Rng, directory: Directory, profiles: number): Generator<string> {
  const plan = planLines(rng, profiles, directory.hostile.length);
  const hostile = new Set(directory.hostile);
  const state: DatasetState = {
    rng,
    directory,
    exported: shuffle(
      rng,
      directory.accounts.filter((account) => !hostile.has(account)),
    ),
    exportedCount: plan.filter((kind) => kind === 'account').length,
    emails: new Set(directory.emails),
    outsiders: [],
    counters: { account: 0, hostile: 0, ambiguous: 0, malformed: 0 },
  };
  for (const kind of plan) yield lineFor(state, kind);
}

function planLines(rng: Rng, profiles: number, hostileAccounts: number): LineKind[] {
  const share = (fraction: number): number => Math.round(profiles * fraction);
  const special: LineKind[] = [
    ...repeat<LineKind>('duplicate', share(0.02)),
    ...repeat<LineKind>('device-email', share(0.03)),
    ...repeat<LineKind>('stranger', share(0.04)),
    ...repeat<LineKind>('uncontactable', share(0.01)),
    ...repeat<LineKind>('ambiguous', AMBIGUOUS_PROFILES),
    ...repeat<LineKind>('hostile-name', hostileAccounts),
    'crlf-name',
    'proto-key',
  ];
  const accounts = profiles - MALFORMED.length - special.length;
  const plan = shuffle(rng, [...special, ...repeat<LineKind>('account', accounts)]);
  for (const position of malformedPositions(rng, profiles)) plan.splice(position, 0, 'malformed');
  return plan;
}

/** One malformed line in each seventh of the file, never at the start where the layout is detected. */
function malformedPositions(rng: Rng, profiles: number): number[] {
  const segment = profiles / MALFORMED.length;
  return MALFORMED.map((_, index) => Math.floor((index + 0.15 + 0.7 * rng.next()) * segment));
}

function lineFor(state: DatasetState, kind: LineKind): string {
  switch (kind) {
    case 'account':
      return JSON.stringify(accountProfile(state, nextExported(state)));
    case 'duplicate':
      return JSON.stringify(accountProfile(state, alreadyExported(state)));
    case 'device-email':
      return JSON.stringify(deviceEmailProfile(state));
    case 'stranger':
      return JSON.stringify(strangerProfile(state));
    case 'uncontactable':
      return JSON.stringify(uncontactableProfile(state));
    case 'ambiguous':
      return JSON.stringify(ambiguousProfile(state));
    case 'hostile-name':
      return JSON.stringify(hostileNameProfile(state));
    case 'crlf-name':
      return JSON.stringify(crlfNameProfile(state));
    case 'proto-key':
      return JSON.stringify(protoKeyProfile(state));
    case 'malformed':
      return malformedLine(state);
  }
}

function nextExported(state: DatasetState): Account {
  return at(state.exported, state.counters.account++ % state.exported.length);
}

function alreadyExported(state: DatasetState): Account {
  const seen = Math.max(1, Math.min(state.exportedCount, state.exported.length));
  return at(state.exported, state.rng.int(seen));
}

function anyAccount(state: DatasetState): Account {
  return state.rng.pick(state.directory.accounts);
}

function accountProfile(state: DatasetState, account: Account): Profile {
  const { rng } = state;
  return {
    $distinct_id: account.id,
    $properties: merge(
      nameProperty(rng, account),
      emailProperty(state, account),
      visitorProperties(rng, account.country),
      maybe(rng, 0.8, { org_id: account.primaryOrgId }),
      maybe(rng, 0.2, { $groups: { org_id: [...account.orgIds] } }),
    ),
  };
}

function nameProperty(rng: Rng, person: Person): Properties {
  if (person.name === '' || !rng.chance(0.92)) return {};
  return { $name: rng.chance(0.05) ? person.given : person.name };
}

function emailProperty(state: DatasetState, account: Account): Properties {
  const { rng } = state;
  if (rng.chance(0.06)) return {};
  // An address the person has since changed in the directory; notices go to the current one.
  if (rng.chance(0.01)) return { $email: outsiderEmail(state, account.slugs, account.culture) };
  return { $email: account.email };
}

/** The SDK properties every profile may carry, whoever it belongs to. */
function visitorProperties(rng: Rng, country: string): Properties {
  return merge(
    geoProperties(rng, country),
    deviceProperties(rng),
    referralProperties(rng),
    timeProperties(rng),
  );
}

function geoProperties(rng: Rng, country: string): Properties {
  if (rng.chance(0.07)) return {};
  const seenIn = rng.chance(0.05) ? rng.pick(GEO_COUNTRIES) : country;
  const { city, region, timezone } = rng.pick(citiesOf(seenIn));
  const coarse = { $region: region, $country_code: seenIn, $timezone: timezone };
  return rng.chance(0.05) ? coarse : { $city: city, ...coarse };
}

function deviceProperties(rng: Rng): Properties {
  if (rng.chance(0.04)) return {};
  const { os, browsers } = pickWeighted(rng, PLATFORMS);
  const browser = rng.pick(browsers);
  if (rng.chance(0.05)) return { $os: os, $browser: browser };
  return { $os: os, $browser: browser, $browser_version: browserVersion(rng, browser) };
}

function browserVersion(rng: Rng, browser: string): number | string {
  if (browser === 'Safari' || browser === 'Mobile Safari') return rng.pick(SAFARI_VERSIONS);
  const [low, high] = MAJOR_VERSIONS[browser] ?? [1, 1];
  const major = low + rng.int(high - low + 1);
  // Older SDK builds sent the full version string instead of a number.
  return rng.chance(0.1) ? `${major}.0.${6000 + rng.int(1500)}.${rng.int(200)}` : major;
}

function referralProperties(rng: Rng): Properties {
  const utm = rng.chance(0.12) ? campaignProperties(rng) : {};
  if (rng.chance(0.15)) return utm;
  if (rng.chance(0.5)) return { $initial_referrer: '$direct', $initial_referring_domain: '$direct', ...utm };
  const { url, domain } = rng.pick(REFERRERS);
  return { $initial_referrer: url, $initial_referring_domain: domain, ...utm };
}

function campaignProperties(rng: Rng): Properties {
  const [source, campaign] = rng.pick(CAMPAIGNS);
  return { initial_utm_source: source, initial_utm_campaign: campaign };
}

function timeProperties(rng: Rng): Properties {
  const created = CREATED_FROM + rng.int(EXPORTED_AT - CREATED_FROM);
  // Most people were active shortly before the export.
  const lastSeen = Math.floor(EXPORTED_AT - (EXPORTED_AT - created) * rng.next() ** 3);
  return merge(
    maybe(rng, 0.97, { $created: mixpanelTime(created) }),
    maybe(rng, 0.99, { $last_seen: mixpanelTime(lastSeen) }),
  );
}

function mixpanelTime(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19);
}

function deviceId(rng: Rng): string {
  const id = `${rng.hex(13)}-${rng.hex(13)}-${rng.hex(8)}-${rng.hex(6)}-${rng.hex(13)}`;
  // Identity merge prefixes anonymous ids; profiles from older SDK versions carry the bare id.
  return rng.chance(0.8) ? `$device:${id}` : id;
}

function unknownUserId(state: DatasetState): string {
  let id = `user-${state.rng.hex(24)}`;
  while (state.directory.ids.has(id)) id = `user-${state.rng.hex(24)}`;
  return id;
}

function outsiderId(state: DatasetState): string | number {
  const roll = state.rng.next();
  if (roll < 0.45) return unknownUserId(state);
  if (roll < 0.9) return deviceId(state.rng);
  return 10_000 + state.rng.int(900_000);
}

function outsiderEmail(state: DatasetState, slugs: readonly [string, string], home: Culture): string {
  const { rng } = state;
  const roll = rng.next();
  const colleagueOrg = rng.pick(state.directory.organizations);
  const domain =
    roll < 0.3 && colleagueOrg.domain !== undefined
      ? colleagueOrg.domain
      : roll < 0.4
        ? rng.pick(ACADEMIC_DOMAINS)
        : webmailDomain(rng, home);
  return claimEmail(rng, state.emails, localPart(rng, slugs, false), domain);
}

/** An address the directory does not know, sometimes one an earlier outsider profile already used. */
function outsider(state: DatasetState): { email: string; name: string; country: string } {
  const { rng } = state;
  const home = pickWeighted(rng, CULTURE_WEIGHTS);
  const country = rng.pick(home.countries);
  const earlier = state.outsiders.length > 0 && rng.chance(0.1);
  if (earlier) {
    const index = rng.int(state.outsiders.length);
    const [again] = state.outsiders.splice(index, 1);
    if (again !== undefined) return { ...again, country };
  }
  const person = personOf(rng, home);
  const entry = { email: outsiderEmail(state, person.slugs, home), name: person.name };
  state.outsiders.push(entry);
  return { ...entry, country };
}

function strangerProfile(state: DatasetState, name?: string): Profile {
  const { rng } = state;
  const found = outsider(state);
  return {
    $distinct_id: outsiderId(state),
    $properties: merge(
      name === undefined ? maybe(rng, 0.85, { $name: found.name }) : { $name: name },
      { $email: found.email },
      visitorProperties(rng, found.country),
      maybe(rng, 0.3, { org_id: rng.pick(state.directory.organizations).id }),
    ),
  };
}

function deviceEmailProfile(state: DatasetState): Profile {
  const { rng } = state;
  let account = anyAccount(state);
  while (state.directory.sharing.has(account)) account = anyAccount(state);
  return {
    $distinct_id: deviceId(rng),
    $properties: merge(
      nameProperty(rng, account),
      { $email: spelledDifferently(rng, account.email) },
      visitorProperties(rng, account.country),
    ),
  };
}

/** The same address as the directory's, in other capitals or with surrounding spaces. */
function spelledDifferently(rng: Rng, email: string): string {
  const roll = rng.next();
  const cased = roll < 0.35 ? email.toUpperCase() : roll < 0.7 ? titleCaseLocal(email.toLowerCase()) : email;
  if (cased !== email && rng.chance(0.7)) return cased;
  return rng.pick([` ${cased}`, `${cased} `, `  ${cased} `]);
}

function uncontactableProfile(state: DatasetState): Profile {
  const { rng } = state;
  return {
    $distinct_id: rng.chance(0.8) ? deviceId(rng) : unknownUserId(state),
    $properties: merge(
      visitorProperties(rng, rng.pick(GEO_COUNTRIES)),
      maybe(rng, 0.05, { org_id: rng.pick(state.directory.organizations).id }),
    ),
  };
}

function ambiguousProfile(state: DatasetState): Profile {
  const { rng, directory } = state;
  const index = state.counters.ambiguous++;
  const shared = at(directory.sharedEmails, index % directory.sharedEmails.length);
  return {
    $distinct_id: deviceId(rng),
    $properties: merge(
      { $email: caseVariant(shared, index) },
      visitorProperties(rng, rng.pick(GEO_COUNTRIES)),
    ),
  };
}

function hostileNameProfile(state: DatasetState): Profile {
  const account = at(state.directory.hostile, state.counters.hostile++ % state.directory.hostile.length);
  const profile = accountProfile(state, account);
  return { ...profile, $properties: { ...profile.$properties, $name: account.name, $email: account.email } };
}

function crlfNameProfile(state: DatasetState): Profile {
  return strangerProfile(state, 'Mallory Ops\r\nBcc: all-staff@example.com');
}

function protoKeyProfile(state: DatasetState): Profile {
  const profile = accountProfile(state, anyAccount(state));
  const polluting: Properties = {
    ['__proto__']: { isAdmin: true },
    constructor: { prototype: { polluted: true } },
  };
  // Spread, not Object.assign: assigning `__proto__` would set the prototype instead of adding the key.
  return { ...profile, $properties: { ...profile.$properties, ...polluting } };
}

/** What a broken export contains: a cut-off record, stray values, non-JSON, a record without identity. */
const MALFORMED: readonly ((sample: string, id: string) => string)[] = [
  (sample) => sample.slice(0, Math.floor(sample.length * 0.6)),
  (_, id) => JSON.stringify(id),
  (sample) => sample.replace('"$properties":{', () => '"$properties":{"$browser_version":undefined,'),
  () => '{}',
  (sample) => `${sample.slice(0, -1)},}`,
  () => 'null',
  () => '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>',
];

function malformedLine(state: DatasetState): string {
  const account = anyAccount(state);
  const sample = JSON.stringify(accountProfile(state, account));
  const broken = at(MALFORMED, state.counters.malformed++ % MALFORMED.length);
  return broken(sample, account.id);
}

function maybe(rng: Rng, probability: number, properties: Properties): Properties {
  return rng.chance(probability) ? properties : {};
}

function merge(...parts: Properties[]): Properties {
  return parts.reduce<Properties>((all, part) => Object.assign(all, part), {});
}

function repeat<T>(value: T, count: number): T[] {
  return Array.from({ length: count }, () => value);
}

function citiesOf(country: string): readonly City[] {
  const cities = GEO.get(country);
  if (cities === undefined) throw new RangeError(`no cities for country ${country}`);
  return cities;
}
