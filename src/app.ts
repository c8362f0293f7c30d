import { systemClock, type Clock } from './adapters/clock.js';
import { randomIds, type Ids } from './adapters/ids.js';
import type { Config } from './config.js';
import { openStore, type Store } from './db/database.js';
import { unitOfWork } from './db/repositories.js';
import { DatasetService } from './services/dataset.service.js';
import { DeliveryService } from './services/delivery.service.js';
import { DirectoryService } from './services/directory.service.js';
import { ImpactService } from './services/impact.service.js';
import { IncidentService } from './services/incident.service.js';
import { NoticeService } from './services/notice.service.js';
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
  const store = await openStore(config.db);
  const uow = unitOfWork(store);
  const base = { uow, clock, ids, actor: config.actor };
  const incidents = new IncidentService(base);
  const impact = new ImpactService({ ...base, incidents });
  const datasets = new DatasetService({ ...base, incidents });
  const notices = new NoticeService({ ...base, company: config.company, incidents, impact });
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
    reports: new ReportService({ uow, clock, actor: config.actor, incidents, impact, notices, datasets }),
    close: () => store.close(),
  };
}
