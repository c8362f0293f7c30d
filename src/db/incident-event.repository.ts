import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, IncidentEventTable } from './schema.js';

export type IncidentEventRow = Selectable<IncidentEventTable>;

export class IncidentEventRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(event: Insertable<IncidentEventTable>): Promise<number> {
    const row = await this.db
      .insertInto('incident_event')
      .values(event)
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  /** The timeline: by when it happened, then in the order it was recorded. */
  listForIncident(incidentId: string): Promise<IncidentEventRow[]> {
    return this.db
      .selectFrom('incident_event')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('occurred_at')
      .orderBy('id')
      .execute();
  }

  async earliestOfType(incidentId: string, type: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('incident_event')
      .select((eb) => eb.fn.min('occurred_at').as('first'))
      .where('incident_id', '=', incidentId)
      .where('type', '=', type)
      .executeTakeFirst();
    return row?.first ?? null;
  }
}
