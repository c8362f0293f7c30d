import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { UserError } from '../core/errors.js';
import { datasetLines } from './demo-case-dataset.js';
import { buildDirectory } from './demo-case-directory.js';
import type { Directory } from './demo-case-directory.js';
import { createRng } from './demo-case-rng.js';

export interface DemoCaseOptions {
  /** Default 20251109; the same seed always writes the same bytes. */
  seed?: number;
  /** Lines of the dataset, the malformed ones included. Default 10,000. */
  profiles?: number;
  /** Default 12,000. */
  accounts?: number;
  /** Default 2,000; at most `accounts`. */
  organizations?: number;
}

export interface DemoCaseFiles {
  accounts: string;
  organizations: string;
  memberships: string;
  dataset: string;
}

/**
 * Writes a directory export and a vendor dataset modeled on the November 2025 web-analytics vendor
 * incident: a Mixpanel Engage export with names, emails, coarse location, device and referrer data.
 */
export async function writeDemoCase(dir: string, options: DemoCaseOptions = {}): Promise<DemoCaseFiles> {
  const settings = resolveSettings(options);
  const rng = createRng(settings.seed);
  const directory = buildDirectory(rng, settings);
  const files: DemoCaseFiles = {
    accounts: resolve(dir, 'accounts.csv'),
    organizations: resolve(dir, 'organizations.csv'),
    memberships: resolve(dir, 'memberships.csv'),
    dataset: resolve(dir, 'mixpanel-people.ndjson.gz'),
  };
  await mkdir(dir, { recursive: true });
  // Only the dataset lines draw from the generator while streaming, so writing in parallel stays deterministic.
  await Promise.all([
    writeLines(files.accounts, accountRows(directory)),
    writeLines(files.organizations, organizationRows(directory)),
    writeLines(files.memberships, membershipRows(directory)),
    writeLines(files.dataset, datasetLines(rng, directory, settings.profiles), { gzip: true }),
  ]);
  return files;
}

interface Settings {
  seed: number;
  profiles: number;
  accounts: number;
  organizations: number;
}

const DEFAULTS: Settings = { seed: 20_251_109, profiles: 10_000, accounts: 12_000, organizations: 2_000 };
const MIN_PROFILES = 100;
const MIN_ACCOUNTS = 20;

function resolveSettings(options: DemoCaseOptions): Settings {
  const settings: Settings = {
    seed: options.seed ?? DEFAULTS.seed,
    profiles: options.profiles ?? DEFAULTS.profiles,
    accounts: options.accounts ?? DEFAULTS.accounts,
    organizations: options.organizations ?? DEFAULTS.organizations,
  };
  requireInteger('seed', settings.seed, Number.MIN_SAFE_INTEGER);
  requireInteger('profiles', settings.profiles, MIN_PROFILES);
  requireInteger('organizations', settings.organizations, 1);
  requireInteger('accounts', settings.accounts, Math.max(MIN_ACCOUNTS, settings.organizations));
  return settings;
}

function requireInteger(option: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new UserError(`demo case option ${option} must be an integer of at least ${min}`, {
      option,
      value,
    });
  }
}

function* accountRows(directory: Directory): Generator<string> {
  yield 'id,email,name,status,locale,country';
  for (const account of directory.accounts) {
    const { id, email, name, status, locale, country } = account;
    yield csvRow([id, email, name, status, locale, country]);
  }
}

function* organizationRows(directory: Directory): Generator<string> {
  yield 'id,name';
  for (const org of directory.organizations) yield csvRow([org.id, org.name]);
}

function* membershipRows(directory: Directory): Generator<string> {
  yield 'org_id,account_id,role';
  for (const membership of directory.memberships) {
    yield csvRow([membership.orgId, membership.accountId, membership.role]);
  }
}

function csvRow(fields: readonly string[]): string {
  return fields.map(csvField).join(',');
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replaceAll('"', '""')}"` : value;
}

async function writeLines(path: string, lines: Iterable<string>, options: { gzip?: boolean } = {}) {
  const source = Readable.from(chunks(lines));
  const sink = createWriteStream(path);
  await (options.gzip === true ? pipeline(source, createGzip(), sink) : pipeline(source, sink));
}

/** Batches lines so the stream moves 64 KiB at a time instead of one small string per row. */
function* chunks(lines: Iterable<string>, size = 1 << 16): Generator<string> {
  let chunk = '';
  for (const line of lines) {
    chunk += `${line}\n`;
    if (chunk.length >= size) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}
