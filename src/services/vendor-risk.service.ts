import type { Category } from '../core/categories.js';
import { parsePopulation } from '../core/population-filter.js';
import {
  peopleByJurisdiction,
  vendorRisk,
  type JurisdictionCount,
  type VendorRisk,
} from '../core/vendor-risk.js';
import type { Repositories } from '../db/repositories.js';
import type { PlaceKeys } from '../db/vendor-exposure.repository.js';
import type { VendorRow } from '../db/vendor.repository.js';
import type { ServiceDeps } from './service-deps.js';
import { findVendor, toVendor } from './vendor.service.js';

/** Directory attributes that say where an account lives (see docs/vendor-risk.md). */
export const PLACE_KEYS: PlaceKeys = { country: 'country', region: ['region', 'state'] };

/** A vendor's blast radius: who would be affected if it were breached today. */
export interface VendorExposure {
  vendor: { id: string; name: string; status: string };
  population: string;
  people: number;
  organizations: number;
  adminRecipients: number;
  categories: Category[];
  jurisdictions: JurisdictionCount[];
  risk: VendorRisk;
}

/** The blast radius of each vendor before any incident, computed over the directory by the database. */
export class VendorRiskService {
  constructor(private readonly deps: Pick<ServiceDeps, 'uow'>) {}

  async exposure(name: string): Promise<VendorExposure> {
    const { repos } = this.deps.uow;
    return exposureOf(repos, await findVendor(repos, name));
  }

  /** Every vendor, highest risk score first. */
  async ranking(): Promise<VendorExposure[]> {
    const { repos } = this.deps.uow;
    const exposures: VendorExposure[] = [];
    for (const vendor of await repos.vendors.list()) exposures.push(await exposureOf(repos, vendor));
    return exposures.sort(
      (a, b) => b.risk.score - a.risk.score || a.vendor.name.localeCompare(b.vendor.name),
    );
  }
}

export async function exposureOf(repos: Repositories, row: VendorRow): Promise<VendorExposure> {
  const vendor = toVendor(row);
  const filter = parsePopulation(row.population ?? '');
  const [counts, places] = await Promise.all([
    repos.vendorExposure.counts(filter),
    repos.vendorExposure.places(filter, PLACE_KEYS),
  ]);
  return {
    vendor: { id: vendor.id, name: vendor.name, status: vendor.status },
    population: vendor.population,
    ...counts,
    categories: vendor.categories,
    jurisdictions: peopleByJurisdiction(places.map((place) => ({ ...place, people: Number(place.people) }))),
    risk: vendorRisk(vendor.categories, counts.people),
  };
}
