import type { Clock } from '../adapters/clock.js';
import type { Ids } from '../adapters/ids.js';
import { parseCategoryList } from '../core/categories.js';
import { UserError } from '../core/errors.js';
import type { UnitOfWork } from '../db/repositories.js';
import type { VendorRow } from '../db/vendor.repository.js';
import { recordAudit } from './audit.js';

export interface VendorServiceDeps {
  uow: UnitOfWork;
  clock: Clock;
  ids: Ids;
  actor: string;
}

export class VendorService {
  constructor(private readonly deps: VendorServiceDeps) {}

  async add(input: { name: string; categories: string; purpose?: string | undefined }): Promise<VendorRow> {
    const name = input.name.trim();
    if (name.length === 0) throw new UserError('vendor name must not be empty');
    const categories = parseCategoryList(input.categories, '--categories');
    return this.deps.uow.transaction(async (repos) => {
      if (await repos.vendors.findByName(name)) throw new UserError(`vendor "${name}" already exists`);
      const vendor: VendorRow = {
        id: this.deps.ids.next('ven'),
        name,
        categories: JSON.stringify(categories),
        purpose: input.purpose?.trim() || null,
        status: 'active',
        created_at: this.deps.clock.now().toISOString(),
      };
      await repos.vendors.insert(vendor);
      await recordAudit(repos, this.deps, 'vendor.add', null, { vendorId: vendor.id, name, categories });
      return vendor;
    });
  }

  list(): Promise<VendorRow[]> {
    return this.deps.uow.repos.vendors.list();
  }
}
