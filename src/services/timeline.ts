import type { IncidentEventType } from '../core/incident-event-type.js';
import type { DecisionRow } from '../db/decision.repository.js';
import type { IncidentEventRow } from '../db/incident-event.repository.js';
import type { Repositories } from '../db/repositories.js';
import { recordAudit, type Actor } from './audit.js';

export interface TimelineEvent {
  id: number;
  incidentId: string;
  type: IncidentEventType;
  occurredAt: string;
  recordedAt: string;
  source: string;
  note: string | null;
  detail: Record<string, unknown>;
  recordedBy: string;
}

export interface Decision {
  id: number;
  incidentId: string;
  decidedAt: string;
  decidedBy: string;
  decision: string;
  reason: string;
  recordedAt: string;
  recordedBy: string;
}

export interface NewEvent {
  type: IncidentEventType;
  occurredAt: string;
  /** Where the fact comes from; the flow's own steps are `breachdesk`. */
  source: string;
  note?: string | null;
  detail?: Record<string, unknown>;
}

/** The source of the events the flow records by itself. */
export const FLOW_SOURCE = 'breachdesk';

/**
 * Adds one event to an incident's timeline, inside the caller's transaction, with its audit entry
 * (which repeats the event, so the chained log proves what the timeline said). Deadlines count
 * from the earliest `vendor_informed_us`, so the incident's awareness time follows it.
 */
export async function recordEvent(
  repos: Repositories,
  who: Actor,
  incidentId: string,
  event: NewEvent,
): Promise<TimelineEvent> {
  const row = {
    incident_id: incidentId,
    type: event.type,
    occurred_at: event.occurredAt,
    recorded_at: who.clock.now().toISOString(),
    source: event.source,
    note: event.note ?? null,
    detail: JSON.stringify(event.detail ?? {}),
    recorded_by: who.actor,
  };
  const id = await repos.events.insert(row);
  if (event.type === 'vendor_informed_us') {
    const earliest = await repos.events.earliestOfType(incidentId, 'vendor_informed_us');
    if (earliest !== null) await repos.incidents.setAwareAt(incidentId, earliest);
  }
  await recordAudit(repos, who, 'incident.event', incidentId, {
    eventId: id,
    type: row.type,
    occurredAt: row.occurred_at,
    source: row.source,
    note: row.note,
    ...(event.detail ? { detail: event.detail } : {}),
  });
  return toTimelineEvent({ id, ...row });
}

export function toTimelineEvent(row: IncidentEventRow): TimelineEvent {
  return {
    id: Number(row.id),
    incidentId: row.incident_id,
    type: row.type as IncidentEventType,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    source: row.source,
    note: row.note,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
    recordedBy: row.recorded_by,
  };
}

export function toDecision(row: DecisionRow): Decision {
  return {
    id: Number(row.id),
    incidentId: row.incident_id,
    decidedAt: row.decided_at,
    decidedBy: row.decided_by,
    decision: row.decision,
    reason: row.reason,
    recordedAt: row.recorded_at,
    recordedBy: row.recorded_by,
  };
}
