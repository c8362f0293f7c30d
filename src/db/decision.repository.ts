import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, DecisionTable } from './schema.js';

export type DecisionRow = Selectable<DecisionTable>;

export class DecisionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(decision: Insertable<DecisionTable>): Promise<number> {
    const row = await this.db
      .insertInto('decision')
      .values(decision)
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  listForIncident(incidentId: string): Promise<DecisionRow[]> {
    return this.db
      .selectFrom('decision')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('decided_at')
      .orderBy('id')
      .execute();
  }
}
