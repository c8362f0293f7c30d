import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import type { KeySource } from './adapters/secret-box.js';
import { UserError } from './core/errors.js';
import { isPostgresUrl } from './core/redact.js';

export interface CompanyConfig {
  name: string;
  fromAddress: string;
  fromName: string;
  contactEmail: string;
  contactUrl: string | null;
  verifyUrl: string | null;
  sendingDomains: string[];
  /** The data protection officer or contact point a regulator summary names (GDPR Art. 33(3)(b)). */
  dpoName: string | null;
  dpoEmail: string | null;
  dpoPhone: string | null;
}

export interface Config {
  /** A SQLite file path or a postgres:// URL. */
  db: string;
  /** Who is acting, for the audit log. */
  actor: string;
  company: CompanyConfig;
  /** Where the secret that seals exposed values comes from; it never enters the database. */
  key: KeySource;
}

export const DEFAULT_COMPANY: CompanyConfig = {
  name: 'Example Corp',
  fromAddress: 'security@notices.example.com',
  fromName: 'Example Corp Security',
  contactEmail: 'privacy@example.com',
  contactUrl: null,
  verifyUrl: null,
  sendingDomains: ['notices.example.com'],
  dpoName: null,
  dpoEmail: null,
  dpoPhone: null,
};

export interface ConfigSources {
  db?: string | undefined;
  configFile?: string | undefined;
  env?: NodeJS.ProcessEnv;
}

/** Flags win over the environment, which wins over the config file, which wins over defaults. */
export function loadConfig(sources: ConfigSources = {}): Config {
  const env = sources.env ?? process.env;
  const file = sources.configFile ?? env.BREACHDESK_CONFIG;
  const fromFile = file ? readConfigFile(file) : {};
  const db = sources.db ?? env.BREACHDESK_DB ?? fromFile.db ?? 'breachdesk.db';
  return {
    db,
    actor: env.BREACHDESK_ACTOR ?? fromFile.actor ?? safeUserName(),
    company: { ...DEFAULT_COMPANY, ...fromFile.company },
    key: {
      envKey: env.BREACHDESK_KEY,
      keyFile: env.BREACHDESK_KEY_FILE ?? fromFile.keyFile ?? defaultKeyFile(db),
    },
  };
}

/** Next to a SQLite file, so the two travel together; in the working directory for PostgreSQL. */
export function defaultKeyFile(db: string): string {
  return isPostgresUrl(db) ? 'breachdesk.key' : join(dirname(db), 'breachdesk.key');
}

interface ConfigFile {
  db?: string;
  actor?: string;
  keyFile?: string;
  company?: Partial<CompanyConfig>;
}

function readConfigFile(path: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UserError(
      `cannot read config file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UserError(`config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (!isRecord(parsed)) throw new UserError(`config file ${path} must hold a JSON object`);
  const company = parsed.company ?? {};
  if (!isRecord(company)) throw new UserError(`config file ${path}: company must be an object`);
  for (const [key, value] of Object.entries(company)) {
    const expected = key === 'sendingDomains' ? 'list of strings' : 'string';
    const ok =
      key === 'sendingDomains'
        ? Array.isArray(value) && value.every((item) => typeof item === 'string')
        : typeof value === 'string' ||
          (value === null && DEFAULT_COMPANY[key as keyof CompanyConfig] === null);
    if (!(key in DEFAULT_COMPANY) || !ok) {
      throw new UserError(
        `config file ${path}: company.${key} ${key in DEFAULT_COMPANY ? `must be a ${expected}` : 'is not a setting'}`,
      );
    }
  }
  for (const key of ['db', 'actor', 'keyFile'] as const) {
    if (parsed[key] !== undefined && typeof parsed[key] !== 'string') {
      throw new UserError(`config file ${path}: ${key} must be a string`);
    }
  }
  return parsed;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
