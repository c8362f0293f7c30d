import { parseCategoryList } from '../core/categories.js';
import { UserError } from '../core/errors.js';
import type { VendorRow } from '../db/vendor.repository.js';
import { recordAudit } from './audit.js';
import type { ServiceDeps } from './service-deps.js';

export class VendorService {
  constructor(private readonly deps: ServiceDeps) {}

  async add(input: { name: string; categories: string; purpose?: string | undefined }): Promise<VendorRow> {
    const name = input.name.trim();
    if (name.length === 0) throw new UserError('vendor name must not be empty');
    const categories = parseCategoryList(input.categories, '--categories');
    return this.deps.uow.transaction(async (repos) => {
      if (await repos.vendors.findByName(name))
        throw new UserError(`vendor "${name}" already exists`, {}, 'conflict');
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
