import { systemClock, type Clock } from './adapters/clock.js';
import { randomIds, type Ids } from './adapters/ids.js';
import { systemMailResolver, type MailResolver } from './adapters/dns-resolver.js';
import { chromiumPrinter } from './adapters/pdf-printer.js';
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
import { singleFlight, type SingleFlight } from './services/single-flight.js';
import { InboundService, type Judge } from './services/inbound.service.js';
import { MisuseService } from './services/misuse.service.js';
import { IncidentService } from './services/incident.service.js';
import { MonitorService } from './services/monitor.service.js';
import { NoticeService } from './services/notice.service.js';
import { ObligationService } from './services/obligation.service.js';
import { ReportService } from './services/report.service.js';
import { VendorService } from './services/vendor.service.js';
import { VendorReviewService } from './services/vendor-review.service.js';
import { VendorRiskService } from './services/vendor-risk.service.js';
import { randomBytes } from 'node:crypto';
import { scryptHasher, type PasswordHasher } from './adapters/password-hasher.js';
import { AccessService } from './services/access.service.js';
import { ExportService } from './services/export.service.js';

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
  vendorRisk: VendorRiskService;
  vendorReviews: VendorReviewService;
  inbound: InboundService;
  misuse: MisuseService;
  monitor: MonitorService;
  access: AccessService;
  exports: ExportService;
  /** The same services over the same store, recording `actor` in the audit trail. */
  as(actor: string): Promise<App>;
  close(): Promise<void>;
}

export interface AppOptions {
  config: Config;
  clock?: Clock;
  ids?: Ids;
  /** The phishing scanner for inbound reports; by default the monitor's own scan. */
  judge?: Judge;
  /** DNS for SPF, DKIM, DMARC and ARC; tests pass an in-memory zone. */
  mailResolver?: MailResolver;
  /** An open store to share (the HTTP server builds one app per signed-in actor over one pool). */
  store?: Store;
  hasher?: PasswordHasher;
  /** Work shared by the apps over one store (the HTTP server's per-actor apps). */
  flights?: SingleFlight;
}

/** The composition root: every entry point (CLI, HTTP, workers) builds its services here. */
export async function createApp({
  config,
  clock = systemClock,
  ids = randomIds(),
  judge,
  mailResolver = systemMailResolver(),
  store: shared,
  hasher = scryptHasher(),
  flights = singleFlight(),
}: AppOptions): Promise<App> {
  const box = createSecretBox(loadSecret(config.key));
  const store = shared ?? (await openStore(config.db));
  const uow = unitOfWork(store);
  try {
    await ensureSameKey(uow, box);
  } catch (error) {
    if (!shared) await store.close();
    throw error;
  }
  const base = { uow, clock, ids, actor: config.actor, box };
  const incidents = new IncidentService(base);
  const impact = new ImpactService({ ...base, incidents, flights });
  const datasets = new DatasetService({ ...base, incidents });
  const obligations = new ObligationService({ uow, clock, actor: config.actor, incidents, impact });
  const notices = new NoticeService({ ...base, company: config.company, incidents, impact, obligations });
  const delivery = new DeliveryService({ ...base, company: config.company, incidents });
  const monitor = new MonitorService({ uow, clock, actor: config.actor, resolver: mailResolver });
  return {
    config,
    store,
    vendors: new VendorService(base),
    incidents,
    directory: new DirectoryService(base),
    datasets,
    impact,
    notices,
    delivery,
    reports: new ReportService({
      uow,
      clock,
      actor: config.actor,
      company: config.company,
      incidents,
      impact,
      datasets,
      obligations,
      printer: chromiumPrinter(),
    }),
    obligations,
    audit: new AuditService({ uow, clock, actor: config.actor, incidents }),
    vendorRisk: new VendorRiskService(base),
    vendorReviews: new VendorReviewService(base),
    inbound: new InboundService({ ...base, delivery, judge: judge ?? ((raw) => monitor.scan(raw)) }),
    misuse: new MisuseService({ uow, impact, incidents }),
    monitor,
    access: new AccessService({
      ...base,
      hasher,
      random: randomBytes,
      issuer: `breachdesk ${config.company.name}`,
    }),
    exports: new ExportService({ ...base, incidents, impact }),
    as: (actor) =>
      createApp({ config: { ...config, actor }, clock, ids, store, hasher, judge, mailResolver, flights }),
    close: () => (shared ? Promise.resolve() : store.close()),
  };
}

/** The monitor alone, for scanning against an identity given on the command line, no database. */
export function createMonitorService({
  clock = systemClock,
  mailResolver = systemMailResolver(),
}: { clock?: Clock; mailResolver?: MailResolver } = {}): MonitorService {
  return new MonitorService({ uow: null, clock, actor: 'cli', resolver: mailResolver });
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
