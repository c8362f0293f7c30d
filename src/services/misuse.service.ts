import { UserError } from '../core/errors.js';
import { misuseStatistics, type GroupCounts, type MisuseStatistics } from '../core/misuse-statistics.js';
import type { ReceivedRange } from '../db/inbound.repository.js';
import type { UnitOfWork } from '../db/repositories.js';
import type { InboundKind } from '../db/schema.js';
import type { ImpactService } from './impact.service.js';
import { parseInstant, type IncidentService } from './incident.service.js';

export interface MisuseOptions {
  since?: string | undefined;
  until?: string | undefined;
  by?: 'day' | 'week' | undefined;
}

export interface MisuseReport {
  incident: { id: string; title: string };
  range: { since: string | null; until: string | null };
  groups: { leaked: GroupCounts; rest: GroupCounts; outside: Omit<GroupCounts, 'addresses'> };
  inbound: { phishing: number; suspicious: number; clean: number; unjudged: number; dsn: number };
  statistics: MisuseStatistics;
  series: {
    by: 'day' | 'week';
    periods: { period: string; leaked: number; rest: number; outside: number }[];
  };
}

/** Whether the leaked data is being used: phishing at the leaked addresses against the rest of the directory. */
export class MisuseService {
  constructor(
    private readonly deps: { uow: UnitOfWork; impact: ImpactService; incidents: IncidentService },
  ) {}

  /**
   * Phishing addressed to the incident's leaked set against the rest of the directory: counts,
   * rates, Fisher's exact test, and a series per day or week. See docs/monitor-inbound.md.
   */
  async correlate(incidentId: string, options: MisuseOptions = {}): Promise<MisuseReport> {
    const incident = await this.deps.incidents.get(incidentId);
    const range: ReceivedRange = {
      since: options.since === undefined ? null : parseInstant(options.since, '--since'),
      until: options.until === undefined ? null : parseInstant(options.until, '--until'),
    };
    if (range.since !== null && range.until !== null && range.since >= range.until) {
      throw new UserError('--since must be before --until');
    }
    const by = options.by ?? 'day';
    if (by !== 'day' && by !== 'week') throw new UserError(`--by must be day or week, not "${String(by)}"`);
    // The leaked set is the incident's people as matching sees them now.
    await this.deps.impact.rematch(incidentId);
    const { inbound } = this.deps.uow.repos;
    const [populations, byGroup, perDay, verdicts] = await Promise.all([
      inbound.populations(incidentId),
      inbound.phishingByGroup(incidentId, range),
      inbound.phishingPerDay(incidentId, range),
      inbound.verdictCounts(range),
    ]);
    const group = (name: string) => {
      const row = byGroup.find((candidate) => candidate.grp === name);
      return { targeted: Number(row?.targeted ?? 0), messages: Number(row?.messages ?? 0) };
    };
    const leaked = { addresses: Number(populations.leaked ?? 0), ...group('leaked') };
    const rest = { addresses: Number(populations.rest ?? 0), ...group('rest') };
    const count = (kind: InboundKind, verdict: string | null) =>
      verdicts
        .filter((row) => row.kind === kind && row.verdict === verdict)
        .reduce((sum, row) => sum + Number(row.n), 0);
    return {
      incident: { id: incident.id, title: incident.title },
      range,
      groups: { leaked, rest, outside: group('outside') },
      inbound: {
        phishing: count('report', 'phishing'),
        suspicious: count('report', 'suspicious'),
        clean: count('report', 'clean'),
        unjudged: count('report', null),
        dsn: verdicts.filter((row) => row.kind === 'dsn').reduce((sum, row) => sum + Number(row.n), 0),
      },
      statistics: misuseStatistics({ leaked, rest }),
      series: { by, periods: periods(perDay, by) },
    };
  }
}

/** Days as they come from SQL, or folded into ISO weeks named by their Monday. */
function periods(
  rows: readonly { day: string; grp: string; messages: number | string }[],
  by: 'day' | 'week',
): MisuseReport['series']['periods'] {
  const byPeriod = new Map<string, { period: string; leaked: number; rest: number; outside: number }>();
  for (const row of rows) {
    const period = by === 'day' ? row.day : mondayOf(row.day);
    const entry = byPeriod.get(period) ?? { period, leaked: 0, rest: 0, outside: 0 };
    if (row.grp === 'leaked' || row.grp === 'rest' || row.grp === 'outside') {
      entry[row.grp] += Number(row.messages);
    }
    byPeriod.set(period, entry);
  }
  return [...byPeriod.values()].sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
}

function mondayOf(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
  return date.toISOString().slice(0, 10);
}
