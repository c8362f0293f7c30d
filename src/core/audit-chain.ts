import { createHash } from 'node:crypto';

/** The `prev_hash` of the first entry: no entry comes before it. */
export const GENESIS_HASH = '0'.repeat(64);

/** Names the serialization, so a future format can never produce a hash this one accepts. */
const FORMAT = 'breachdesk-audit-1';

/** The fields an entry's hash commits to, as stored: `detail` is the JSON text itself. */
export interface ChainedFields {
  at: string;
  actor: string;
  action: string;
  incident_id: string | null;
  detail: string;
  prev_hash: string;
}

export interface ChainEntry extends ChainedFields {
  id: number;
  hash: string;
}

/**
 * The newest entry as recorded next to the chain (read before the entries, so appends made while
 * reading come after it); the chain alone cannot show a cut-off tail.
 */
export interface ChainHead {
  id: number;
  hash: string;
}

/**
 * SHA-256 over a JSON array of the fields and the previous hash: JSON.stringify of strings and
 * null is unambiguous, so no two different entries serialize alike.
 */
export function auditEntryHash(entry: ChainedFields): string {
  const canonical = JSON.stringify([
    FORMAT,
    entry.prev_hash,
    entry.at,
    entry.actor,
    entry.action,
    entry.incident_id,
    entry.detail,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

export type ChainProblemReason = 'edited' | 'removed' | 'reordered' | 'inserted';

export type ChainVerdict =
  | { ok: true; entries: number; head: ChainHead | null }
  | {
      ok: false;
      entries: number;
      /** The first bad entry; null when what is missing is the recorded head itself. */
      id: number | null;
      reason: ChainProblemReason;
      message: string;
    };

/**
 * Walks the entries in id order: each must hash to its own `hash` (else edited) and name the one
 * before it as `prev_hash` (else removed, reordered or inserted, told apart by which entry it does
 * name), and the recorded head must be in the chain (else its tail was cut off).
 * A rewrite of every hash after an edit together with the recorded head verifies, unless an
 * anchor (an id and hash noted outside the database earlier) no longer matches.
 */
export function verifyAuditChain(
  entries: readonly ChainEntry[],
  head: ChainHead | null,
  anchors: readonly ChainHead[] = [],
): ChainVerdict {
  const count = entries.length;
  const fail = (id: number | null, reason: ChainProblemReason, message: string): ChainVerdict => ({
    ok: false,
    entries: count,
    id,
    reason,
    message,
  });
  const position = new Map<string, number>([[GENESIS_HASH, -1]]);
  entries.forEach((entry, index) => position.set(entry.hash, index));
  let expected = GENESIS_HASH;
  for (const [index, entry] of entries.entries()) {
    if (auditEntryHash(entry) !== entry.hash) {
      return fail(entry.id, 'edited', `entry ${entry.id} was changed after it was written`);
    }
    if (entry.prev_hash !== expected) {
      const previous = entries[index - 1];
      const named = position.get(entry.prev_hash);
      if (named === undefined) {
        // The next entry still follows the one before this: this one was slipped in.
        if (entries[index + 1]?.prev_hash === expected) {
          return fail(entry.id, 'inserted', `entry ${entry.id} was added into the chain`);
        }
        return fail(
          entry.id,
          'removed',
          `the entry before ${entry.id} is missing${previous ? ` (or entry ${previous.id} was rewritten)` : ''}`,
        );
      }
      if (named > index) {
        return fail(entry.id, 'reordered', `entry ${entry.id} is out of order: it follows a later entry`);
      }
      const intruder = entries[named + 1];
      return fail(
        intruder?.id ?? entry.id,
        'inserted',
        `entry ${intruder?.id ?? entry.id} was added into the chain before ${entry.id}`,
      );
    }
    expected = entry.hash;
  }
  const last = entries[count - 1];
  if (head === null) {
    return last === undefined
      ? { ok: true, entries: 0, head: null }
      : fail(null, 'removed', 'the recorded head of the chain is missing');
  }
  // Entries after the recorded head were appended while the chain was read, and chain on from it.
  if (!position.has(head.hash)) {
    return fail(
      head.id,
      'removed',
      `the chain ends at ${last ? `entry ${last.id}` : 'its start'} but entry ${head.id} was written after it`,
    );
  }
  // A head noted elsewhere earlier must still be in place, or the chain was recomputed.
  for (const anchor of anchors) {
    const at = position.get(anchor.hash);
    if (at === undefined || entries[at]?.id !== anchor.id) {
      return fail(
        anchor.id,
        'edited',
        `entry ${anchor.id} no longer has the hash noted for it: the log was rewritten up to there`,
      );
    }
  }
  return { ok: true, entries: count, head: last ? { id: last.id, hash: last.hash } : head };
}
