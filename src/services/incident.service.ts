import { parseCategoryList, type Category } from '../core/categories.js';
import { UserError } from '../core/errors.js';
import { cleanFreeText } from '../core/free-text.js';
import {
  FLOW_ONLY_EVENT_TYPES,
  INCIDENT_EVENT_TYPES,
  isIncidentEventType,
} from '../core/incident-event-type.js';
import {
  INCIDENT_STATUSES,
  isIncidentStatus,
  statusTransition,
  type IncidentStatus,
} from '../core/incident-status.js';
import type { IncidentRow } from '../db/incident.repository.js';
import { recordAudit } from './audit.js';
import type { ServiceDeps } from './service-deps.js';
import {
  FLOW_SOURCE,
  recordEvent,
  toDecision,
  toTimelineEvent,
  type Decision,
  type TimelineEvent,
} from './timeline.js';

export interface Incident {
  id: string;
  vendorId: string;
  vendorName: string;
  title: string;
  exposed: Category[];
  notExposed: Category[];
  awareAt: string | null;
  openedAt: string;
  status: IncidentStatus;
}

export interface OpenIncidentInput {
  vendor: string;
  title: string;
  exposed: string;
  notExposed?: string | undefined;
  awareAt?: string | undefined;
}

export interface EventInput {
  type: string;
  at: string;
  source?: string | undefined;
  note?: string | undefined;
}

export interface DecisionInput {
  decision: string;
  reason: string;
  /** Who decided; the recording actor when not given. */
  by?: string | undefined;
  /** When it was decided; now when not given. */
  at?: string | undefined;
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
        status: 'triage',
      };
      await repos.incidents.insert(row);
      await recordAudit(repos, this.deps, 'incident.open', row.id, {
        vendorId: vendor.id,
        exposed,
        notExposed,
      });
      await recordEvent(repos, this.deps, row.id, {
        type: 'incident_opened',
        occurredAt: row.opened_at,
        source: FLOW_SOURCE,
      });
      if (awareAt !== null) {
        await recordEvent(repos, this.deps, row.id, {
          type: 'vendor_informed_us',
          occurredAt: awareAt,
          source: 'incident open --aware-at',
        });
      }
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
      await repos.notices.purgeBodies(id);
      await recordAudit(repos, this.deps, 'incident.purge-values', id, {
        records: purged,
        unfinishedNotices: unfinished,
      });
      return purged;
    });
    await this.deps.uow.repos.matches.reclaimPurged();
    return { records };
  }

  /** Moves the incident to another stage, if the transition is allowed; the timeline records it. */
  async setStatus(
    id: string,
    status: string,
    { reason }: { reason?: string | undefined } = {},
  ): Promise<{ from: IncidentStatus; to: IncidentStatus }> {
    if (!isIncidentStatus(status)) {
      throw new UserError(`unknown status "${status}" (one of: ${INCIDENT_STATUSES.join(', ')})`);
    }
    const why = cleanFreeText(reason ?? '', '--reason');
    return this.deps.uow.transaction(async (repos) => {
      const incident = await repos.incidents.findById(id);
      if (!incident) throw new UserError(`unknown incident ${id}`);
      const from = incident.status as IncidentStatus;
      const unfinishedNotices = Number((await repos.notices.countUnfinished(id)).n);
      const decision = statusTransition({ from, to: status, reason: why, unfinishedNotices });
      if (!decision.allowed) throw new UserError(`cannot move ${id} to ${status}: ${decision.reason}`);
      await repos.incidents.setStatus(id, status);
      await recordAudit(repos, this.deps, 'incident.status', id, { from, to: status, reason: why });
      await recordEvent(repos, this.deps, id, {
        type: 'status_changed',
        occurredAt: this.deps.clock.now().toISOString(),
        source: FLOW_SOURCE,
        note: why,
        detail: { from, to: status },
      });
      return { from, to: status };
    });
  }

  /** Records a dated fact on the timeline, such as when the vendor informed us. */
  async addEvent(id: string, input: EventInput): Promise<TimelineEvent> {
    const type = input.type.trim();
    if (!isIncidentEventType(type) || FLOW_ONLY_EVENT_TYPES.includes(type)) {
      const allowed = INCIDENT_EVENT_TYPES.filter((t) => !FLOW_ONLY_EVENT_TYPES.includes(t));
      throw new UserError(`--type: "${input.type}" is not an event type (one of: ${allowed.join(', ')})`);
    }
    const occurredAt = this.pastInstant(input.at, '--at');
    const source = cleanFreeText(input.source ?? '', '--source') ?? 'operator';
    const note = cleanFreeText(input.note ?? '', '--note');
    await this.get(id);
    return this.deps.uow.transaction((repos) =>
      recordEvent(repos, this.deps, id, { type, occurredAt, source, note }),
    );
  }

  async timeline(id: string): Promise<TimelineEvent[]> {
    await this.get(id);
    const rows = await this.deps.uow.repos.events.listForIncident(id);
    return rows.map(toTimelineEvent);
  }

  /** Records who decided what and why, such as not notifying a group, or terminating the vendor. */
  async decide(id: string, input: DecisionInput): Promise<Decision> {
    const decision = cleanFreeText(input.decision, '--decision', { required: true })!;
    const reason = cleanFreeText(input.reason, '--reason', { required: true })!;
    const by = cleanFreeText(input.by ?? this.deps.actor, '--by', { required: true })!;
    const now = this.deps.clock.now().toISOString();
    const decidedAt = input.at === undefined ? now : this.pastInstant(input.at, '--at');
    await this.get(id);
    return this.deps.uow.transaction(async (repos) => {
      const row = {
        incident_id: id,
        decided_at: decidedAt,
        decided_by: by,
        decision,
        reason,
        recorded_at: now,
        recorded_by: this.deps.actor,
      };
      const decisionId = await repos.decisions.insert(row);
      await recordAudit(repos, this.deps, 'incident.decide', id, {
        decisionId,
        decidedAt,
        decidedBy: by,
        decision,
        reason,
      });
      return toDecision({ id: decisionId, ...row });
    });
  }

  async decisions(id: string): Promise<Decision[]> {
    await this.get(id);
    const rows = await this.deps.uow.repos.decisions.listForIncident(id);
    return rows.map(toDecision);
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

  /** A time something happened: never later than now, or a typo would reorder the timeline. */
  private pastInstant(text: string, flag: string): string {
    const at = parseInstant(text, flag);
    if (at > this.deps.clock.now().toISOString()) throw new UserError(`${flag}: ${text} is in the future`);
    return at;
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
    status: row.status as IncidentStatus,
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
