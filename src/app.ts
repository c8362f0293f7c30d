import { systemClock, type Clock } from './adapters/clock.js';
import { randomIds, type Ids } from './adapters/ids.js';
import { createSecretBox, loadSecret, type SecretBox } from './adapters/secret-box.js';
import type { Config } from './config.js';
import { openStore, type Store } from './db/database.js';
import { unitOfWork, type UnitOfWork } from './db/repositories.js';
import { UserError } from './core/errors.js';
import { AuditService } from './services/audit.service.js';
import { DatasetService } from './services/dataset.service.js';
import { DeliveryService } from './services/delivery.service.js';
import { DirectoryService } from './services/directory.service.js';
import { ImpactService } from './services/impact.service.js';
import { IncidentService } from './services/incident.service.js';
import { NoticeService } from './services/notice.service.js';
import { ObligationService } from './services/obligation.service.js';
import { ReportService } from './services/report.service.js';
import { VendorService } from './services/vendor.service.js';

export interface App {
  config: Config;
  store: Store;
  vendors: VendorService;
  incidents: IncidentService;
  directory: DirectoryService;
  datasets: DatasetService;
  impact: ImpactService;
  notices: NoticeService;
  delivery: DeliveryService;
  reports: ReportService;
  audit: AuditService;
  obligations: ObligationService;
  close(): Promise<void>;
}

export interface AppOptions {
  config: Config;
  clock?: Clock;
  ids?: Ids;
}

/** The composition root: every entry point (CLI, HTTP, workers) builds its services here. */
export async function createApp({
  config,
  clock = systemClock,
  ids = randomIds(),
}: AppOptions): Promise<App> {
  const box = createSecretBox(loadSecret(config.key));
  const store = await openStore(config.db);
  const uow = unitOfWork(store);
  try {
    await ensureSameKey(uow, box);
  } catch (error) {
    await store.close();
    throw error;
  }
  const base = { uow, clock, ids, actor: config.actor, box };
  const incidents = new IncidentService(base);
  const impact = new ImpactService({ ...base, incidents });
  const datasets = new DatasetService({ ...base, incidents });
  const obligations = new ObligationService({ uow, clock, actor: config.actor, incidents, impact });
  const notices = new NoticeService({ ...base, company: config.company, incidents, impact, obligations });
  return {
    config,
    store,
    vendors: new VendorService(base),
    incidents,
    directory: new DirectoryService(base),
    datasets,
    impact,
    notices,
    delivery: new DeliveryService({ ...base, company: config.company, incidents }),
    reports: new ReportService({
      uow,
      clock,
      actor: config.actor,
      incidents,
      impact,
      notices,
      datasets,
      obligations,
    }),
    obligations,
    audit: new AuditService({ uow, clock, actor: config.actor, incidents }),
    close: () => store.close(),
  };
}

/** A database sealed under one key must never be extended with values under another. */
async function ensureSameKey(uow: UnitOfWork, box: SecretBox): Promise<void> {
  await uow.repos.settings.putIfAbsent('key_fingerprint', box.fingerprint);
  const stored = await uow.repos.settings.get('key_fingerprint');
  if (stored !== box.fingerprint) {
    throw new UserError(
      'the key does not match this database: set BREACHDESK_KEY or BREACHDESK_KEY_FILE to the key it was created with',
    );
  }
}
