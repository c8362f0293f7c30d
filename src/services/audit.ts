import type { Clock } from '../adapters/clock.js';
import type { Repositories } from '../db/repositories.js';

export interface Actor {
  actor: string;
  clock: Clock;
}

/** Every change leaves an entry; details hold ids and counts, never exposed values. */
export async function recordAudit(
  repos: Repositories,
  who: Actor,
  action: string,
  incidentId: string | null,
  detail: Record<string, unknown>,
): Promise<void> {
  await repos.audit.append({
    at: who.clock.now().toISOString(),
    actor: who.actor,
    action,
    incident_id: incidentId,
    detail: JSON.stringify(detail),
  });
}
