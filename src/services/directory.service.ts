import type { SecretBox } from '../adapters/secret-box.js';
import { placeOfAttributes } from '../core/coarse-place.js';
import { UserError } from '../core/errors.js';
import { isPlausibleAddress, normalizeEmail } from '../core/identity.js';
import type { DirectoryTable, StagedRows } from '../db/directory.repository.js';
import type { Repositories } from '../db/repositories.js';
import { readTable, type TableRow } from '../ingest/read-table.js';
import { recordAudit } from './audit.js';
import type { ServiceDeps } from './service-deps.js';

export const ROLES = ['owner', 'admin', 'member'] as const;
const ACCOUNT_COLUMNS = new Set(['id', 'email', 'name', 'status', 'locale']);
const BATCH = 500;
/** Rows of one import after which the directory's secondary indexes are rebuilt at the end instead. */
const DEFER_INDEXES_AT = 50_000;

export interface DirectoryFiles {
  accounts?: string | undefined;
  organizations?: string | undefined;
  memberships?: string | undefined;
}

export interface DirectoryImportResult {
  accounts: number;
  organizations: number;
  memberships: number;
}

/** Imports the company's directory; re-import updates in place. One bad row and nothing is written. */
export class DirectoryService {
  constructor(private readonly deps: ServiceDeps) {}

  async import(files: DirectoryFiles): Promise<DirectoryImportResult> {
    if (!files.accounts && !files.organizations && !files.memberships) {
      throw new UserError('nothing to import: give --accounts, --orgs or --memberships');
    }
    const now = this.deps.clock.now().toISOString();
    const box = this.deps.box;
    return this.deps.uow.dedicated((uow) =>
      uow.repos.directory.bulkLoad(() =>
        uow.transaction(async (repos) => {
          await repos.directory.roomForSorts();
          const result = { accounts: 0, organizations: 0, memberships: 0 };
          let deferred: string[] | undefined;
          // Indexes are dropped only once an import proves large: rebuilding them costs a sort of the
          // whole directory, which a few changed rows should not pay.
          const grown = async (rows: number) => {
            if (deferred === undefined && rows >= DEFER_INDEXES_AT)
              deferred = await repos.directory.dropSecondaryIndexes();
          };
          const load = <K extends DirectoryTable>(file: DirectoryFile<K>, before: number) =>
            importRows(repos, file, now, (rows) => grown(before + rows));
          if (files.accounts) {
            const path = files.accounts;
            result.accounts = await load(
              {
                path,
                table: 'account',
                required: ['id', 'email'],
                convert: (row) => toAccount(row, path, box),
              },
              0,
            );
          }
          if (files.organizations) {
            const path = files.organizations;
            result.organizations = await load(
              {
                path,
                table: 'organization',
                required: ['id', 'name'],
                convert: (row) => toOrganization(row, path, box),
              },
              result.accounts,
            );
          }
          if (files.memberships) {
            const path = files.memberships;
            // A memberships file lists an organization's members together: its key is hashed once.
            const organizationKey = lastResult((id: string) => box.hash(id));
            result.memberships = await load(
              {
                path,
                table: 'membership',
                required: ['org_id', 'account_id', 'role'],
                convert: (row) => toMembership(row, path, organizationKey),
              },
              result.accounts + result.organizations,
            );
          }
          if (deferred !== undefined) await repos.directory.restoreIndexes(deferred);
          // Every incident's stored matching read the directory as it was: this makes them stale.
          await repos.directory.bumpVersion();
          await recordAudit(repos, this.deps, 'directory.import', null, { ...result });
          return result;
        }),
      ),
    );
  }

  counts() {
    return this.deps.uow.repos.directory.counts();
  }
}

interface DirectoryFile<K extends DirectoryTable> {
  path: string;
  table: K;
  required: string[];
  convert: (row: TableRow) => StagedRows[K];
}

/**
 * Stages one file (see `DirectoryRepository.openStage`), lets the database find a key given twice
 * and a membership naming no one, then writes it to its table; `written` is told the file's rows
 * before they are. Memory holds one batch, whatever the file's size.
 */
async function importRows<K extends DirectoryTable>(
  repos: Repositories,
  file: DirectoryFile<K>,
  now: string,
  written: (rows: number) => Promise<void>,
): Promise<number> {
  const { path, table } = file;
  await repos.directory.openStage(table);
  let batch: StagedRows[K][] = [];
  let lines: number[] = [];
  let count = 0;
  let checked = false;
  for await (const row of readTable(path)) {
    if (!checked) {
      const missing = file.required.filter((column) => !row.values.has(column));
      if (missing.length > 0)
        throw new UserError(`${path}:${row.line}: missing column ${missing.join(', ')}`);
      checked = true;
    }
    batch.push(file.convert(row));
    lines.push(row.line);
    count += 1;
    if (batch.length >= BATCH) {
      await repos.directory.stage(table, lines, batch);
      batch = [];
      lines = [];
    }
  }
  await repos.directory.stage(table, lines, batch);
  const duplicate = (await repos.directory.hasDuplicate(table))
    ? await repos.directory.firstDuplicate(table)
    : undefined;
  if (duplicate) {
    const [first, second] = duplicate.key;
    const key = table === 'membership' ? `org ${first} account ${second}` : `id ${first}`;
    throw new UserError(`${path}:${duplicate.line}: duplicate row for ${key}`);
  }
  if (table === 'membership') {
    const unknown = await repos.directory.firstUnknownMember();
    if (unknown) {
      const what = unknown.accountKnown
        ? `organization ${unknown.organizationId}`
        : `account ${unknown.accountId}`;
      throw new UserError(`${path}:${unknown.line}: membership refers to unknown ${what}`);
    }
  }
  await written(count);
  await repos.directory.mergeStage(table, now);
  await repos.directory.closeStage(table);
  return count;
}

/** `compute`, remembering its last argument and result: a run of equal arguments computes once. */
function lastResult<A, R>(compute: (argument: A) => R): (argument: A) => R {
  let last: { argument: A; result: R } | undefined;
  return (argument) => {
    if (last === undefined || last.argument !== argument) last = { argument, result: compute(argument) };
    return last.result;
  };
}

function requiredValue(row: TableRow, path: string, column: string): string {
  const value = row.values.get(column)?.trim() ?? '';
  if (value.length === 0) throw new UserError(`${path}:${row.line}: field ${column} is empty`);
  return value;
}

function toAccount(row: TableRow, path: string, box: SecretBox): StagedRows['account'] {
  const id = requiredValue(row, path, 'id');
  const email = row.values.get('email')?.trim() ?? '';
  if (email.length > 0 && !isPlausibleAddress(email)) {
    throw new UserError(`${path}:${row.line}: field email is not a valid address`);
  }
  const status = (row.values.get('status')?.trim() || 'active').toLowerCase();
  if (!/^[a-z_-]{1,32}$/.test(status))
    throw new UserError(`${path}:${row.line}: field status is not a status word`);
  const attributes = Object.fromEntries([...row.values].filter(([column]) => !ACCOUNT_COLUMNS.has(column)));
  const emailNorm = email ? normalizeEmail(email) : null;
  const place = placeOfAttributes(attributes);
  return {
    id,
    email: email || null,
    email_norm: emailNorm,
    id_key: box.hash(id),
    email_key: emailNorm === null ? null : box.hash(emailNorm),
    name: row.values.get('name')?.trim() || null,
    status,
    locale: row.values.get('locale')?.trim() || null,
    attributes: JSON.stringify(attributes),
    country: place.country,
    region: place.region,
  };
}

function toOrganization(row: TableRow, path: string, box: SecretBox): StagedRows['organization'] {
  const id = requiredValue(row, path, 'id');
  return { id, id_key: box.hash(id), name: requiredValue(row, path, 'name') };
}

function toMembership(
  row: TableRow,
  path: string,
  organizationKey: (id: string) => string,
): StagedRows['membership'] {
  const role = requiredValue(row, path, 'role').toLowerCase();
  if (!(ROLES as readonly string[]).includes(role)) {
    throw new UserError(`${path}:${row.line}: field role must be one of ${ROLES.join(', ')}`);
  }
  const organizationId = requiredValue(row, path, 'org_id');
  return {
    organization_id: organizationId,
    organization_key: organizationKey(organizationId),
    account_id: requiredValue(row, path, 'account_id'),
    role,
  };
}
