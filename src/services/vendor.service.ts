import { parseCategoryList, type Category } from '../core/categories.js';
import { headerSafe } from '../core/escape.js';
import { UserError } from '../core/errors.js';
import { formatPopulation, parsePopulation } from '../core/population-filter.js';
import { isVendorStatus, VENDOR_STATUSES, type VendorStatus } from '../core/vendor-status.js';
import type { Repositories } from '../db/repositories.js';
import type { VendorRow } from '../db/vendor.repository.js';
import { recordAudit } from './audit.js';
import { parseInstant } from './incident.service.js';
import type { ServiceDeps } from './service-deps.js';

export interface Vendor {
  id: string;
  name: string;
  categories: Category[];
  purpose: string | null;
  status: VendorStatus;
  /** Canonical population filter text; `all` for every account. */
  population: string;
  subProcessors: string[];
  /** Hours within which the contract obliges the vendor to tell us of a breach. */
  noticeHours: number | null;
  createdAt: string;
}

export interface VendorDetails extends Vendor {
  history: { status: string; at: string; note: string | null; recordedBy: string }[];
  /** Latest first. */
  reviews: { id: string; reviewedAt: string; catalogue: string; verdict: string; reviewer: string }[];
  openFindings: { id: string; severity: string; title: string; due: string; requirement: string | null }[];
}

/** Flags as the user typed them; absent ones are left as they are. */
export interface VendorFields {
  categories?: string | undefined;
  purpose?: string | undefined;
  population?: string | undefined;
  subProcessors?: string | undefined;
  /** Whole hours, or `none`. */
  noticeHours?: string | undefined;
}

export class VendorService {
  constructor(private readonly deps: ServiceDeps) {}

  async add(input: VendorFields & { name: string; categories: string }): Promise<Vendor> {
    const name = input.name.trim();
    if (name.length === 0) throw new UserError('vendor name must not be empty');
    const fields = parseFields(input);
    const now = this.deps.clock.now().toISOString();
    return this.deps.uow.transaction(async (repos) => {
      if (await repos.vendors.findByName(name))
        throw new UserError(`vendor "${name}" already exists`, {}, 'conflict');
      const vendor: VendorRow = {
        id: this.deps.ids.next('ven'),
        name,
        categories: '[]',
        purpose: null,
        status: 'active',
        created_at: now,
        population: null,
        sub_processors: '[]',
        notice_hours: null,
        ...fields,
      };
      await repos.vendors.insert(vendor);
      await this.recordStatus(repos, vendor.id, 'active', now, null);
      await recordAudit(repos, this.deps, 'vendor.add', null, {
        vendorId: vendor.id,
        name,
        ...auditable(fields),
      });
      return toVendor(vendor);
    });
  }

  /** Changes the given fields of a vendor. */
  async set(name: string, input: VendorFields): Promise<Vendor> {
    const fields = parseFields(input);
    if (Object.keys(fields).length === 0) {
      throw new UserError(
        'nothing to change: give --categories, --purpose, --population, --sub-processors or --notice-hours',
      );
    }
    return this.deps.uow.transaction(async (repos) => {
      const vendor = await findVendor(repos, name);
      await repos.vendors.update(vendor.id, fields);
      await recordAudit(repos, this.deps, 'vendor.set', null, { vendorId: vendor.id, ...auditable(fields) });
      return toVendor({ ...vendor, ...fields });
    });
  }

  /** Records a status as of `at` (default now); history stays in the order statuses took effect. */
  async setStatus(input: {
    name: string;
    status: string;
    at?: string | undefined;
    note?: string | undefined;
  }) {
    const status = input.status.trim().toLowerCase();
    if (!isVendorStatus(status)) {
      throw new UserError(`unknown vendor status "${headerSafe(input.status)}"`, {
        valid: VENDOR_STATUSES.join(', '),
      });
    }
    const now = this.deps.clock.now().toISOString();
    const at = input.at === undefined ? now : parseInstant(input.at, '--at');
    if (at > now) throw new UserError(`--at ${at} is in the future: record a status once it takes effect`);
    const note = input.note === undefined ? null : headerSafe(input.note) || null;
    return this.deps.uow.transaction(async (repos) => {
      const vendor = await findVendor(repos, input.name);
      if (vendor.status === status) throw new UserError(`vendor "${vendor.name}" is already ${status}`);
      const last = (await repos.vendors.statusHistory(vendor.id)).at(-1);
      if (last && at < last.at) {
        throw new UserError(
          `--at ${at} is before the vendor's last status change (${last.status} at ${last.at})`,
        );
      }
      await this.recordStatus(repos, vendor.id, status, at, note);
      await repos.vendors.update(vendor.id, { status });
      await recordAudit(repos, this.deps, 'vendor.status', null, {
        vendorId: vendor.id,
        from: vendor.status,
        to: status,
        at,
      });
      return toVendor({ ...vendor, status });
    });
  }

  async show(name: string): Promise<VendorDetails> {
    const { repos } = this.deps.uow;
    const vendor = await findVendor(repos, name);
    const [history, reviews, findings] = await Promise.all([
      repos.vendors.statusHistory(vendor.id),
      repos.vendorReviews.listForVendor(vendor.id),
      repos.vendorReviews.openFindingsOf(vendor.id),
    ]);
    return {
      ...toVendor(vendor),
      history: history.map((row) => ({
        status: row.status,
        at: row.at,
        note: row.note,
        recordedBy: row.recorded_by,
      })),
      reviews: reviews.map((row) => ({
        id: row.id,
        reviewedAt: row.reviewed_at,
        catalogue: `${row.catalogue_name} v${row.catalogue_version}`,
        verdict: row.verdict,
        reviewer: row.reviewer,
      })),
      openFindings: findings.map((row) => ({
        id: row.id,
        severity: row.severity,
        title: row.title,
        due: row.due_at,
        requirement: row.requirement_id,
      })),
    };
  }

  async list(): Promise<Vendor[]> {
    return (await this.deps.uow.repos.vendors.list()).map(toVendor);
  }

  private async recordStatus(
    repos: Repositories,
    vendorId: string,
    status: string,
    at: string,
    note: string | null,
  ) {
    await repos.vendors.insertStatusChange({
      id: this.deps.ids.next('vsc'),
      vendor_id: vendorId,
      status,
      at,
      note,
      recorded_at: this.deps.clock.now().toISOString(),
      recorded_by: this.deps.actor,
    });
  }
}

export async function findVendor(repos: Repositories, name: string): Promise<VendorRow> {
  const vendor = await repos.vendors.findByName(name.trim());
  if (!vendor)
    throw new UserError(`unknown vendor "${headerSafe(name)}" (add it with: breachdesk vendor add)`);
  return vendor;
}

export function toVendor(row: VendorRow): Vendor {
  return {
    id: row.id,
    name: row.name,
    categories: JSON.parse(row.categories) as Category[],
    purpose: row.purpose,
    status: isVendorStatus(row.status) ? row.status : 'active',
    population: formatPopulation(parsePopulation(row.population ?? '')),
    subProcessors: JSON.parse(row.sub_processors) as string[],
    noticeHours: row.notice_hours,
    createdAt: row.created_at,
  };
}

type ParsedFields = Partial<
  Pick<VendorRow, 'categories' | 'purpose' | 'population' | 'sub_processors' | 'notice_hours'>
>;

/** Every flag checked before anything is written; stored in canonical form. */
function parseFields(input: VendorFields): ParsedFields {
  const fields: ParsedFields = {};
  if (input.categories !== undefined) {
    fields.categories = JSON.stringify(parseCategoryList(input.categories, '--categories'));
  }
  if (input.purpose !== undefined) fields.purpose = input.purpose.trim() || null;
  if (input.population !== undefined) {
    const filter = parsePopulation(input.population);
    fields.population = filter.length === 0 ? null : formatPopulation(filter);
  }
  if (input.subProcessors !== undefined) {
    const names = input.subProcessors.split(',').map((name) => headerSafe(name));
    fields.sub_processors = JSON.stringify([...new Set(names.filter((name) => name.length > 0))]);
  }
  if (input.noticeHours !== undefined) {
    const text = input.noticeHours.trim().toLowerCase();
    const hours = Number(text);
    if (text !== 'none' && (!/^\d+$/.test(text) || hours < 1 || hours > 8760)) {
      throw new UserError(
        `--notice-hours: "${headerSafe(input.noticeHours)}" is not whole hours from 1 to 8760, or none`,
      );
    }
    fields.notice_hours = text === 'none' ? null : hours;
  }
  return fields;
}

function auditable(fields: ParsedFields): Record<string, unknown> {
  return {
    ...(fields.categories !== undefined && { categories: JSON.parse(fields.categories) as unknown }),
    ...(fields.purpose !== undefined && { purpose: fields.purpose }),
    ...(fields.population !== undefined && { population: fields.population ?? 'all' }),
    ...(fields.sub_processors !== undefined && {
      subProcessors: JSON.parse(fields.sub_processors) as unknown,
    }),
    ...(fields.notice_hours !== undefined && { noticeHours: fields.notice_hours }),
  };
}
