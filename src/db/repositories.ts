import type { Kysely } from 'kysely';
import { AuditRepository } from './audit.repository.js';
import type { DialectCapabilities, Store } from './database.js';
import { DatasetRepository } from './dataset.repository.js';
import { DecisionRepository } from './decision.repository.js';
import { DirectoryRepository } from './directory.repository.js';
import { IdentityRepository } from './identity.repository.js';
import { ImpactRepository } from './impact.repository.js';
import { IncidentEventRepository } from './incident-event.repository.js';
import { InboundRepository } from './inbound.repository.js';
import { IncidentRepository } from './incident.repository.js';
import { MatchRepository } from './match.repository.js';
import { NoticeRepository } from './notice.repository.js';
import { ObligationRepository } from './obligation.repository.js';
import type { Database } from './schema.js';
import { SettingRepository } from './setting.repository.js';
import { VendorRepository } from './vendor.repository.js';
import { VendorExposureRepository } from './vendor-exposure.repository.js';
import { VendorReviewRepository } from './vendor-review.repository.js';
import { AccessRepository } from './access.repository.js';
import { SummaryRepository } from './summary.repository.js';
import { PersonSearchRepository } from './person-search.repository.js';

export interface Repositories {
  vendors: VendorRepository;
  incidents: IncidentRepository;
  directory: DirectoryRepository;
  datasets: DatasetRepository;
  matches: MatchRepository;
  impact: ImpactRepository;
  notices: NoticeRepository;
  audit: AuditRepository;
  settings: SettingRepository;
  events: IncidentEventRepository;
  decisions: DecisionRepository;
  obligations: ObligationRepository;
  vendorExposure: VendorExposureRepository;
  vendorReviews: VendorReviewRepository;
  inbound: InboundRepository;
  identity: IdentityRepository;
  access: AccessRepository;
  summaries: SummaryRepository;
  personSearch: PersonSearchRepository;
}

function repositories(db: Kysely<Database>, capabilities: DialectCapabilities): Repositories {
  return {
    vendors: new VendorRepository(db),
    incidents: new IncidentRepository(db),
    directory: new DirectoryRepository(db, capabilities),
    datasets: new DatasetRepository(db, capabilities),
    matches: new MatchRepository(db, capabilities),
    impact: new ImpactRepository(db, capabilities),
    notices: new NoticeRepository(db, capabilities),
    audit: new AuditRepository(db, capabilities),
    settings: new SettingRepository(db),
    events: new IncidentEventRepository(db),
    decisions: new DecisionRepository(db),
    obligations: new ObligationRepository(db),
    vendorExposure: new VendorExposureRepository(db, capabilities),
    vendorReviews: new VendorReviewRepository(db),
    inbound: new InboundRepository(db, capabilities),
    identity: new IdentityRepository(db),
    access: new AccessRepository(db),
    summaries: new SummaryRepository(db),
    personSearch: new PersonSearchRepository(db),
  };
}

/** Repositories outside a transaction, and a way to run a unit of work inside one. */
export interface UnitOfWork {
  repos: Repositories;
  transaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T>;
  /** The same, on a connection of its own, for a bulk load that streams. */
  dedicated<T>(work: (uow: UnitOfWork) => Promise<T>): Promise<T>;
}

export function unitOfWork(store: Store): UnitOfWork {
  return {
    repos: repositories(store.db, store.capabilities),
    transaction: (work) => {
      let failed: { error: unknown } | undefined;
      // SQLite rolls back by itself on a full disk or an I/O error, and Kysely's ROLLBACK then
      // fails with "no transaction is active": the work's own error is the one to report.
      return store.db
        .transaction()
        .execute((trx) =>
          work(repositories(trx, store.capabilities)).catch((error: unknown) => {
            failed = { error };
            throw error;
          }),
        )
        .catch((error: unknown) => {
          throw failed ? failed.error : error;
        });
    },
    dedicated: (work) => store.dedicated((own) => work(unitOfWork(own))),
  };
}
