/** The stages of an incident, in their usual order. */
export const INCIDENT_STATUSES = ['triage', 'scoping', 'notifying', 'monitoring', 'closed'] as const;

export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export function isIncidentStatus(value: string): value is IncidentStatus {
  return (INCIDENT_STATUSES as readonly string[]).includes(value);
}

/** Where each status may go: forward, back when new data arrives, closed early when nobody is affected. */
const NEXT: Readonly<Record<IncidentStatus, readonly IncidentStatus[]>> = {
  triage: ['scoping', 'closed'],
  scoping: ['triage', 'notifying', 'closed'],
  notifying: ['scoping', 'monitoring'],
  monitoring: ['scoping', 'notifying', 'closed'],
  closed: ['scoping', 'monitoring'],
};

export interface StatusChange {
  from: IncidentStatus;
  to: IncidentStatus;
  reason: string | null;
  /** Notices still queued, sending or deferred. */
  unfinishedNotices: number;
}

export type StatusDecision = { allowed: true } | { allowed: false; reason: string };

/**
 * Whether an incident may move from one status to another, and why not. A step back, closing
 * and reopening need a reason on record; closing waits for every notice to be final.
 */
export function statusTransition(change: StatusChange): StatusDecision {
  const { from, to, reason, unfinishedNotices } = change;
  if (from === to) return { allowed: false, reason: `the incident is already in ${to}` };
  if (!NEXT[from].includes(to)) {
    return { allowed: false, reason: `${from} cannot go to ${to} (allowed: ${NEXT[from].join(', ')})` };
  }
  const backwards = INCIDENT_STATUSES.indexOf(to) < INCIDENT_STATUSES.indexOf(from);
  if ((backwards || to === 'closed') && reason === null) {
    return { allowed: false, reason: `${from} → ${to} needs a --reason on record` };
  }
  if (to === 'closed' && unfinishedNotices > 0) {
    return {
      allowed: false,
      reason: `${unfinishedNotices} notices are still queued, sending or deferred; send them first`,
    };
  }
  return { allowed: true };
}
