import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** The last impact summary of each incident, as JSON, with when it was computed. */
export class SummaryRepository {
  constructor(private readonly db: Kysely<Database>) {}

  find(incidentId: string) {
    return this.db
      .selectFrom('impact_summary')
      .select(['computed_at', 'summary'])
      .where('incident_id', '=', incidentId)
      .executeTakeFirst();
  }

  async put(incidentId: string, computedAt: string, summary: string): Promise<void> {
    await this.db
      .insertInto('impact_summary')
      .values({ incident_id: incidentId, computed_at: computedAt, summary })
      .onConflict((oc) => oc.column('incident_id').doUpdateSet({ computed_at: computedAt, summary }))
      .execute();
  }

  async delete(incidentId: string): Promise<void> {
    await this.db.deleteFrom('impact_summary').where('incident_id', '=', incidentId).execute();
  }
}
