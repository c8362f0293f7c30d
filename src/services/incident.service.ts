import { parseCategoryList, type Category } from '../core/categories.js';
import { UserError } from '../core/errors.js';
import type { IncidentRow } from '../db/incident.repository.js';
import { recordAudit } from './audit.js';
import type { ServiceDeps } from './service-deps.js';

export interface Incident {
  id: string;
  vendorId: string;
  vendorName: string;
  title: string;
  exposed: Category[];
  notExposed: Category[];
  awareAt: string | null;
  openedAt: string;
  status: string;
}

export interface OpenIncidentInput {
  vendor: string;
  title: string;
  exposed: string;
  notExposed?: string | undefined;
  awareAt?: string | undefined;
}

export class IncidentService {
  constructor(private readonly deps: ServiceDeps) {}

  async open(input: OpenIncidentInput): Promise<Incident> {
    const title = input.title.trim();
    if (title.length === 0) throw new UserError('--title must not be empty');
    const exposed = parseCategoryList(input.exposed, '--exposed');
    const notExposed = parseCategoryList(input.notExposed ?? '', '--not-exposed');
    const both = exposed.filter((category) => notExposed.includes(category));
    if (both.length > 0) throw new UserError(`categories both exposed and not exposed: ${both.join(', ')}`);
    const awareAt = input.awareAt === undefined ? null : parseInstant(input.awareAt, '--aware-at');
    return this.deps.uow.transaction(async (repos) => {
      const vendor = await repos.vendors.findByName(input.vendor.trim());
      if (!vendor)
        throw new UserError(`unknown vendor "${input.vendor}" (add it with: breachdesk vendor add)`);
      const row: IncidentRow = {
        id: this.deps.ids.next('inc'),
        vendor_id: vendor.id,
        title,
        exposed: JSON.stringify(exposed),
        not_exposed: JSON.stringify(notExposed),
        aware_at: awareAt,
        opened_at: this.deps.clock.now().toISOString(),
        status: 'open',
      };
      await repos.incidents.insert(row);
      await recordAudit(repos, this.deps, 'incident.open', row.id, {
        vendorId: vendor.id,
        exposed,
        notExposed,
      });
      return toIncident(row, vendor.name);
    });
  }

  /**
   * Deletes the exposed values for good (sealed record values, dataset addresses, notice bodies),
   * keeping categories, counts, notice statuses and the audit trail. Refused while notices still
   * need their addresses, unless forced.
   */
  async purgeValues(id: string, { force = false }: { force?: boolean } = {}): Promise<{ records: number }> {
    await this.get(id);
    const unfinished = Number((await this.deps.uow.repos.notices.countUnfinished(id)).n);
    if (unfinished > 0 && !force) {
      throw new UserError(
        `${unfinished} notices of ${id} are not sent yet and need their addresses: send them, or use --force`,
      );
    }
    const records = await this.deps.uow.transaction(async (repos) => {
      const purged = await repos.datasets.purgeValues(id);
      await repos.datasets.purgeAddresses(id);
      await repos.matches.purgePersonAddresses(id);
      await repos.notices.purgeValues(id);
      await recordAudit(repos, this.deps, 'incident.purge-values', id, {
        records: purged,
        unfinishedNotices: unfinished,
      });
      return purged;
    });
    await this.deps.uow.repos.matches.reclaimPurged();
    return { records };
  }

  async get(id: string): Promise<Incident> {
    const row = await this.deps.uow.repos.incidents.findById(id);
    if (!row) throw new UserError(`unknown incident ${id}`, {}, 'not-found');
    const vendor = await this.deps.uow.repos.vendors.findById(row.vendor_id);
    return toIncident(row, vendor?.name ?? row.vendor_id);
  }

  list() {
    return this.deps.uow.repos.incidents.listWithVendor();
  }
}

function toIncident(row: IncidentRow, vendorName: string): Incident {
  return {
    id: row.id,
    vendorId: row.vendor_id,
    vendorName,
    title: row.title,
    exposed: JSON.parse(row.exposed) as Category[],
    notExposed: JSON.parse(row.not_exposed) as Category[],
    awareAt: row.aware_at,
    openedAt: row.opened_at,
    status: row.status,
  };
}

/**
 * ISO-8601: a bare date means midnight UTC; a time needs `Z` or an offset, because deadlines count
 * from it and the host's time zone must not decide. Dates that do not exist (Feb 30) are refused.
 */
export function parseInstant(text: string, flag: string): string {
  const trimmed = text.trim();
  const match =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}))?$/.exec(trimmed);
  const time = match ? Date.parse(trimmed.length === 10 ? `${trimmed}T00:00:00Z` : trimmed) : NaN;
  const [year, month, day] = (match ?? []).slice(1, 4).map(Number);
  const calendar = new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1));
  const realDate =
    calendar.getUTCFullYear() === year &&
    calendar.getUTCMonth() + 1 === month &&
    calendar.getUTCDate() === day;
  if (Number.isNaN(time) || !realDate) {
    throw new UserError(`${flag}: "${text}" is not an ISO-8601 date, or a time with Z or an offset`);
  }
  return new Date(time).toISOString();
}
