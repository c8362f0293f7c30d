import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoCase } from '../../src/adapters/demo-case.js';
import type { DemoCaseFiles } from '../../src/adapters/demo-case.js';
import { isUserError } from '../../src/core/errors.js';

type Row = Record<string, string>;

interface Profile {
  $distinct_id: string | number;
  $properties: Record<string, unknown>;
}

interface DemoCase {
  accounts: Row[];
  organizations: Row[];
  memberships: Row[];
  lines: string[];
  profiles: Profile[];
  malformed: string[];
}

/** RFC 4180 with `\n` records; enough to read what the generator writes. */
function parseCsv(text: string): Row[] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    if (quoted && char === '"' && text.charAt(i + 1) === '"') {
      field += '"';
      i++;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (quoted || (char !== ',' && char !== '\n')) {
      field += char;
    } else {
      record.push(field);
      field = '';
      if (char === '\n') {
        records.push(record);
        record = [];
      }
    }
  }
  const [header = [], ...rows] = records;
  return rows.map((cells) => Object.fromEntries(header.map((name, index) => [name, cells[index] ?? ''])));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asProfile(line: string): Profile | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isPlainObject(value)) return undefined;
  const id = value.$distinct_id;
  const properties = value.$properties;
  const validId = (typeof id === 'string' && id !== '') || (typeof id === 'number' && Number.isFinite(id));
  return validId && isPlainObject(properties) ? { $distinct_id: id, $properties: properties } : undefined;
}

async function readCase(files: DemoCaseFiles): Promise<DemoCase> {
  const text = async (path: string): Promise<string> => readFile(path, 'utf8');
  const lines = gunzipSync(await readFile(files.dataset))
    .toString('utf8')
    .split('\n');
  expect(lines.pop()).toBe('');
  const profiles: Profile[] = [];
  const malformed: string[] = [];
  for (const line of lines) {
    const profile = asProfile(line);
    if (profile === undefined) malformed.push(line);
    else profiles.push(profile);
  }
  return {
    accounts: parseCsv(await text(files.accounts)),
    organizations: parseCsv(await text(files.organizations)),
    memberships: parseCsv(await text(files.memberships)),
    lines,
    profiles,
    malformed,
  };
}

async function digests(files: DemoCaseFiles): Promise<string[]> {
  const paths = [files.accounts, files.organizations, files.memberships, files.dataset];
  const contents = await Promise.all(paths.map((path) => readFile(path)));
  return contents.map((content) => createHash('sha256').update(content).digest('hex'));
}

function emailKey(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== ''
    ? value.trim().normalize('NFC').toLowerCase()
    : undefined;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/** The design's matching rules 1 and 2, applied in memory to classify every profile. */
function classify(demo: DemoCase): Record<string, number> {
  const ids = new Set(demo.accounts.map((account) => account.id));
  const owners = countBy(demo.accounts, (account) => emailKey(account.email) ?? '');
  const tally = { byId: 0, byEmail: 0, ambiguousEmail: 0, contactable: 0, uncontactable: 0 };
  for (const { $distinct_id: id, $properties: properties } of demo.profiles) {
    const email = emailKey(properties.$email);
    if (typeof id === 'string' && ids.has(id)) tally.byId++;
    else if (email === undefined) tally.uncontactable++;
    else if (owners.get(email) === 1) tally.byEmail++;
    else if ((owners.get(email) ?? 0) > 1) tally.ambiguousEmail++;
    else tally.contactable++;
  }
  return tally;
}

describe('demo case generator', () => {
  let dir: string;
  let files: DemoCaseFiles;
  let demo: DemoCase;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'breachdesk-demo-case-'));
    files = await writeDemoCase(join(dir, 'first'));
    demo = await readCase(files);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('returns absolute paths of the four files', () => {
    const paths = [files.accounts, files.organizations, files.memberships, files.dataset];
    expect(paths.every((path) => isAbsolute(path))).toBe(true);
    expect(files.dataset.endsWith('mixpanel-people.ndjson.gz')).toBe(true);
  });

  it('writes the same bytes for the same seed and different bytes for another seed', async () => {
    const again = await writeDemoCase(join(dir, 'again'));
    const other = await writeDemoCase(join(dir, 'other'), { seed: 7 });
    expect(await digests(again)).toEqual(await digests(files));
    const [, , , otherDataset] = await digests(other);
    expect(otherDataset).not.toBe((await digests(files))[3]);
  });

  it('writes a directory of the requested size with well-formed ids', () => {
    expect(demo.accounts).toHaveLength(12_000);
    expect(demo.organizations).toHaveLength(2_000);
    expect(demo.memberships.length).toBeGreaterThan(13_000);
    expect(demo.memberships.length).toBeLessThan(20_000);
    expect(demo.accounts.every((account) => /^user-[0-9a-f]{24}$/.test(account.id ?? ''))).toBe(true);
    expect(demo.organizations.every((org) => /^org-[0-9a-f]{24}$/.test(org.id ?? ''))).toBe(true);
    expect(new Set(demo.accounts.map((account) => account.id)).size).toBe(12_000);
    expect(new Set(demo.organizations.map((org) => org.id)).size).toBe(2_000);
  });

  it('gives accounts mostly active status, some disabled and a few deleted', () => {
    const statuses = countBy(demo.accounts, (account) => account.status ?? '');
    expect([...statuses.keys()].sort()).toEqual(['active', 'deleted', 'disabled']);
    expect(statuses.get('active')).toBeGreaterThan(10_800);
    expect(statuses.get('disabled')).toBeGreaterThan(300);
    expect(statuses.get('deleted')).toBeLessThan(statuses.get('disabled') ?? 0);
  });

  it('uses diverse names and locales', () => {
    const allNames = demo.accounts.map((account) => account.name).join('\n');
    for (const fragment of ['José', 'Zoë', 'Søren', '李', 'Müller']) expect(allNames).toContain(fragment);
    const locales = new Set(demo.accounts.map((account) => account.locale));
    for (const locale of ['en', 'de', 'fr', 'es', 'ja', 'pt-BR']) expect(locales).toContain(locale);
  });

  it('shares an email between a few accounts only through case variants', () => {
    const owners = countBy(demo.accounts, (account) => emailKey(account.email) ?? '');
    const shared = [...owners].filter(([, count]) => count > 1);
    expect(shared.map(([, count]) => count).sort()).toEqual([2, 3]);
    for (const [email] of shared) {
      const spellings = demo.accounts.filter((account) => emailKey(account.email) === email);
      expect(new Set(spellings.map((account) => account.email)).size).toBe(spellings.length);
    }
  });

  it('puts every account in one to three existing organizations, each with exactly one owner', () => {
    const accountIds = new Set(demo.accounts.map((account) => account.id));
    const orgIds = new Set(demo.organizations.map((org) => org.id));
    expect(demo.memberships.every((row) => accountIds.has(row.account_id))).toBe(true);
    expect(demo.memberships.every((row) => orgIds.has(row.org_id))).toBe(true);
    const perAccount = countBy(demo.memberships, (row) => row.account_id ?? '');
    expect(perAccount.size).toBe(accountIds.size);
    expect(Math.min(...perAccount.values())).toBe(1);
    expect(Math.max(...perAccount.values())).toBe(3);
    const owners = countBy(
      demo.memberships.filter((row) => row.role === 'owner'),
      (row) => row.org_id ?? '',
    );
    expect(owners.size).toBe(orgIds.size);
    expect([...owners.values()].every((count) => count === 1)).toBe(true);
    const admins = countBy(
      demo.memberships.filter((row) => row.role === 'admin'),
      (row) => row.org_id ?? '',
    );
    expect(admins.size).toBeGreaterThan(100);
    expect(Math.max(...admins.values())).toBeLessThanOrEqual(2);
    expect(new Set(demo.memberships.map((row) => `${row.org_id} ${row.account_id}`)).size).toBe(
      demo.memberships.length,
    );
  });

  it('writes 10,000 profile lines of which exactly 7 are malformed, none at the start', () => {
    expect(demo.lines).toHaveLength(10_000);
    expect(demo.malformed).toHaveLength(7);
    expect(demo.malformed).toContain('{}');
    expect(demo.lines.slice(0, 10).every((line) => asProfile(line) !== undefined)).toBe(true);
  });

  it('mixes matched, email-matched, ambiguous, contactable and uncontactable profiles', () => {
    const tally = classify(demo);
    expect(tally.byId).toBeGreaterThan(8_800);
    expect(tally.byEmail).toBeGreaterThanOrEqual(280);
    expect(tally.ambiguousEmail).toBeGreaterThanOrEqual(4);
    expect(tally.contactable).toBeGreaterThanOrEqual(380);
    expect(tally.uncontactable).toBeGreaterThanOrEqual(100);
    expect(tally.uncontactable).toBeLessThan(150);
  });

  it('repeats some profiles and some unmatched addresses', () => {
    const ids = countBy(demo.profiles, (profile) => String(profile.$distinct_id));
    const repeatedIds = [...ids.values()].filter((count) => count > 1).length;
    expect(repeatedIds).toBeGreaterThan(150);
    expect(repeatedIds).toBeLessThan(300);
    const known = new Set(demo.accounts.map((account) => emailKey(account.email)));
    const outsiders = demo.profiles
      .map((profile) => emailKey(profile.$properties.$email))
      .filter((email) => email !== undefined && !known.has(email));
    const repeatedOutsiders = [...countBy(outsiders, (email) => email ?? '').values()].filter((n) => n > 1);
    expect(repeatedOutsiders.length).toBeGreaterThan(10);
  });

  it('spells emails of anonymous profiles differently from the directory', () => {
    const exact = new Set(demo.accounts.map((account) => account.email));
    const ids = new Set(demo.accounts.map((account) => account.id));
    const variants = demo.profiles.filter(({ $distinct_id: id, $properties: properties }) => {
      const email = properties.$email;
      return typeof id === 'string' && !ids.has(id) && typeof email === 'string' && !exact.has(email);
    });
    expect(variants.some((profile) => /^\s|\s$/.test(String(profile.$properties.$email)))).toBe(true);
    expect(variants.some((profile) => /[A-Z]/.test(String(profile.$properties.$email)))).toBe(true);
  });

  it('uses Mixpanel Engage properties, org ids and groups', () => {
    const keys = new Set(demo.profiles.flatMap((profile) => Object.keys(profile.$properties)));
    const expected = [
      '$name',
      '$email',
      '$city',
      '$region',
      '$country_code',
      '$timezone',
      '$os',
      '$browser',
      '$browser_version',
      '$initial_referrer',
      '$initial_referring_domain',
      'initial_utm_source',
      'initial_utm_campaign',
      '$created',
      '$last_seen',
      'org_id',
      '$groups',
    ];
    for (const key of expected) expect(keys).toContain(key);
    const withOrg = demo.profiles.filter((profile) => typeof profile.$properties.org_id === 'string');
    expect(withOrg.length).toBeGreaterThan(demo.profiles.length / 2);
    expect(demo.profiles.some((profile) => profile.$properties.$initial_referrer === '$direct')).toBe(true);
  });

  it('carries hostile values in the directory and the dataset', () => {
    const accountNames = demo.accounts.map((account) => account.name);
    expect(accountNames).toContain('<script>alert(1)</script>');
    expect(accountNames).toContain('=HYPERLINK("http://x")');
    expect(accountNames.some((name) => name?.includes('"') && !name.startsWith('='))).toBe(true);
    const profileNames = demo.profiles.map((profile) => profile.$properties.$name);
    expect(profileNames).toContain('<script>alert(1)</script>');
    expect(profileNames.some((name) => typeof name === 'string' && /\r\n/.test(name))).toBe(true);
    expect(demo.profiles.some((profile) => Object.hasOwn(profile.$properties, '__proto__'))).toBe(true);
  });

  it('writes a small case with the same guarantees when asked', async () => {
    const small = await readCase(
      await writeDemoCase(join(dir, 'small'), { seed: 3, profiles: 100, accounts: 20, organizations: 1 }),
    );
    expect(small.lines).toHaveLength(100);
    expect(small.malformed).toHaveLength(7);
    expect(small.accounts).toHaveLength(20);
    expect(small.memberships.filter((row) => row.role === 'owner')).toHaveLength(1);
    expect(classify(small).ambiguousEmail).toBe(4);
  });

  it('rejects options it cannot honour with a user error', async () => {
    const attempt = writeDemoCase(join(dir, 'invalid'), { accounts: 10, organizations: 50 });
    await expect(attempt).rejects.toSatisfy(isUserError);
  });
});
