import type { Clock } from '../adapters/clock.js';
import { auditEntryHash } from '../core/audit-chain.js';
import { UserError } from '../core/errors.js';
import type { Repositories } from '../db/repositories.js';

export interface Actor {
  actor: string;
  clock: Clock;
}

/**
 * Every change leaves an entry; details hold ids and counts, never exposed values. Called inside
 * the transaction that makes the change: the entry is chained onto the recorded head under a lock
 * held until that transaction ends, so concurrent writers append one after the other.
 */
export async function recordAudit(
  repos: Repositories,
  who: Actor,
  action: string,
  incidentId: string | null,
  detail: Record<string, unknown>,
): Promise<void> {
  await repos.audit.lockChain();
  const head = await repos.audit.head();
  // The migration records a head (the genesis hash on an empty log); without one the log was tampered with.
  if (head === null)
    throw new UserError('the audit log has lost its head record: run breachdesk audit verify');
  const fields = {
    at: who.clock.now().toISOString(),
    actor: who.actor,
    action,
    incident_id: incidentId,
    detail: JSON.stringify(detail),
    prev_hash: head.hash,
  };
  const hash = auditEntryHash(fields);
  const id = await repos.audit.append({ ...fields, hash });
  await repos.audit.setHead({ id, hash });
}
