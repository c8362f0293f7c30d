import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { UserError } from './core/errors.js';

export interface CompanyConfig {
  name: string;
  fromAddress: string;
  fromName: string;
  contactEmail: string;
  contactUrl: string | null;
  verifyUrl: string | null;
  sendingDomains: string[];
}

export interface Config {
  /** A SQLite file path or a postgres:// URL. */
  db: string;
  /** Who is acting, for the audit log. */
  actor: string;
  company: CompanyConfig;
}

export const DEFAULT_COMPANY: CompanyConfig = {
  name: 'Example Corp',
  fromAddress: 'security@notices.example.com',
  fromName: 'Example Corp Security',
  contactEmail: 'privacy@example.com',
  contactUrl: null,
  verifyUrl: null,
  sendingDomains: ['notices.example.com'],
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
  return {
    db: sources.db ?? env.BREACHDESK_DB ?? fromFile.db ?? 'breachdesk.db',
    actor: env.BREACHDESK_ACTOR ?? fromFile.actor ?? safeUserName(),
    company: { ...DEFAULT_COMPANY, ...fromFile.company },
  };
}

interface ConfigFile {
  db?: string;
  actor?: string;
  company?: Partial<CompanyConfig>;
}

function readConfigFile(path: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read config file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as ConfigFile;
  } catch (error) {
    throw new UserError(`config file ${path} is not a JSON object: ${(error as Error).message}`);
  }
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
