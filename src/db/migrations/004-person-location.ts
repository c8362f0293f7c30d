import { sql, type Kysely, type Migration } from 'kysely';
import { placeOfAttributes } from '../../core/coarse-place.js';

const PLACE_TABLES = ['exposed_record', 'record_match', 'person', 'account'] as const;
const PAGE = 1000;

/**
 * Coarse country and region in clear on records, matches, people and directory accounts: breach
 * law is counted by them. Records imported before have none (their values are sealed and the key is
 * not here); accounts get theirs from the attributes the directory import kept.
 */
export function personLocation(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      for (const table of PLACE_TABLES) {
        await db.schema.alterTable(table).addColumn('country', 'text').execute();
        await db.schema.alterTable(table).addColumn('region', 'text').execute();
      }
      await backfillAccounts(db);
    },
  };
}

async function backfillAccounts(db: Kysely<unknown>): Promise<void> {
  let after = '';
  for (;;) {
    const { rows } = await sql<{ id: string; attributes: string }>`
      select id, attributes from account where id > ${after} order by id limit ${PAGE}`.execute(db);
    if (rows.length === 0) return;
    for (const row of rows) {
      const place = placeOfAttributes(JSON.parse(row.attributes) as Record<string, unknown>);
      if (place.country !== null || place.region !== null) {
        await sql`update account set country = ${place.country}, region = ${place.region}
                   where id = ${row.id}`.execute(db);
      }
    }
    after = rows[rows.length - 1]!.id;
  }
}
