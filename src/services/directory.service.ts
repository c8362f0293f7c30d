import type { Insertable } from 'kysely';
import type { SecretBox } from '../adapters/secret-box.js';
import { placeOfAttributes } from '../core/coarse-place.js';
import { UserError } from '../core/errors.js';
import { isPlausibleAddress, normalizeEmail } from '../core/identity.js';
import type { Repositories } from '../db/repositories.js';
import type { AccountTable, MembershipTable, OrganizationTable } from '../db/schema.js';
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
    return this.deps.uow.transaction(async (repos) => {
      const result = { accounts: 0, organizations: 0, memberships: 0 };
      let deferred: string[] | undefined;
      // Indexes are dropped only once an import proves large: rebuilding them costs a sort of the
      // whole directory, which a few changed rows should not pay.
      const grown = async (rows: number) => {
        if (deferred === undefined && rows >= DEFER_INDEXES_AT)
          deferred = await repos.directory.dropSecondaryIndexes();
      };
      if (files.accounts) {
        result.accounts = await importRows(
          files.accounts,
          ['id', 'email'],
          (row) => toAccount(row, files.accounts!, now, this.deps.box),
          (rows) => repos.directory.upsertAccounts(rows),
          grown,
        );
      }
      if (files.organizations) {
        result.organizations = await importRows(
          files.organizations,
          ['id', 'name'],
          (row) => toOrganization(row, files.organizations!, now, this.deps.box),
          (rows) => repos.directory.upsertOrganizations(rows),
          (rows) => grown(result.accounts + rows),
        );
      }
      if (files.memberships) {
        const path = files.memberships;
        result.memberships = await importRows(
          path,
          ['org_id', 'account_id', 'role'],
          (row) => toMembership(row, path, this.deps.box),
          (rows) => upsertMemberships(repos, rows, path),
          (rows) => grown(result.accounts + result.organizations + rows),
        );
      }
      if (deferred !== undefined) await repos.directory.restoreIndexes(deferred);
      // Every incident's stored matching read the directory as it was: this makes them stale.
      await repos.directory.bumpVersion();
      await recordAudit(repos, this.deps, 'directory.import', null, { ...result });
      return result;
    });
  }

  counts() {
    return this.deps.uow.repos.directory.counts();
  }
}

interface Converted<T> {
  key: string;
  row: T;
}

async function importRows<T>(
  path: string,
  required: string[],
  convert: (row: TableRow) => Converted<T>,
  write: (rows: T[]) => Promise<void>,
  written: (rows: number) => Promise<void>,
): Promise<number> {
  let batch: T[] = [];
  let count = 0;
  let checked = false;
  const seen = new Set<string>();
  for await (const row of readTable(path)) {
    if (!checked) {
      const missing = required.filter((column) => !row.values.has(column));
      if (missing.length > 0)
        throw new UserError(`${path}:${row.line}: missing column ${missing.join(', ')}`);
      checked = true;
    }
    const item = convert(row);
    if (seen.has(item.key)) throw new UserError(`${path}:${row.line}: duplicate row for ${item.key}`);
    seen.add(item.key);
    batch.push(item.row);
    count += 1;
    if (batch.length >= BATCH) {
      await write(batch);
      batch = [];
      await written(count);
    }
  }
  if (batch.length > 0) await write(batch);
  return count;
}

function requiredValue(row: TableRow, path: string, column: string): string {
  const value = row.values.get(column)?.trim() ?? '';
  if (value.length === 0) throw new UserError(`${path}:${row.line}: field ${column} is empty`);
  return value;
}

function toAccount(
  row: TableRow,
  path: string,
  now: string,
  box: SecretBox,
): Converted<Insertable<AccountTable>> {
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
  const account = {
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
    updated_at: now,
  };
  return { key: `id ${id}`, row: account };
}

function toOrganization(
  row: TableRow,
  path: string,
  now: string,
  box: SecretBox,
): Converted<Insertable<OrganizationTable>> {
  const id = requiredValue(row, path, 'id');
  return {
    key: `id ${id}`,
    row: { id, id_key: box.hash(id), name: requiredValue(row, path, 'name'), updated_at: now },
  };
}

function toMembership(row: TableRow, path: string, box: SecretBox): Converted<Insertable<MembershipTable>> {
  const role = requiredValue(row, path, 'role').toLowerCase();
  if (!(ROLES as readonly string[]).includes(role)) {
    throw new UserError(`${path}:${row.line}: field role must be one of ${ROLES.join(', ')}`);
  }
  const organizationId = requiredValue(row, path, 'org_id');
  const accountId = requiredValue(row, path, 'account_id');
  return {
    key: `org ${organizationId} account ${accountId}`,
    row: {
      organization_id: organizationId,
      organization_key: box.hash(organizationId),
      account_id: accountId,
      role,
    },
  };
}

async function upsertMemberships(repos: Repositories, rows: Insertable<MembershipTable>[], path: string) {
  const [accounts, organizations] = await Promise.all([
    repos.directory.existingAccountIds([...new Set(rows.map((row) => row.account_id))]),
    repos.directory.existingOrganizationIds([...new Set(rows.map((row) => row.organization_id))]),
  ]);
  const orphan = rows.find((row) => !accounts.has(row.account_id) || !organizations.has(row.organization_id));
  if (orphan) {
    const what = accounts.has(orphan.account_id)
      ? `organization ${orphan.organization_id}`
      : `account ${orphan.account_id}`;
    throw new UserError(`${path}: membership refers to unknown ${what}`);
  }
  await repos.directory.upsertMemberships(rows);
}
