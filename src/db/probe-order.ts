import { sql, type RawBuilder } from 'kysely';
import type { DialectCapabilities } from './database.js';

/**
 * The body of a common table expression whose rows then probe an index by `key`: sorted by that key
 * and materialized where probes want it (`probesInKeyOrder`), so the probes walk the index once in
 * order instead of reading a random page each; as written elsewhere, for the planner to inline.
 */
export function probingRows(
  capabilities: DialectCapabilities,
  rows: RawBuilder<unknown>,
  key: RawBuilder<unknown>,
): RawBuilder<unknown> {
  return capabilities.probesInKeyOrder ? sql`materialized (${rows} order by ${key})` : sql`(${rows})`;
}
