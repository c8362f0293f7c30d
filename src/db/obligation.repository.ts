import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export class ObligationRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** People by place and exposure: the few groups the obligation rules need, aggregated in SQL. */
  placeGroups(incidentId: string) {
    return this.db
      .selectFrom('person')
      .select(['country', 'region', 'category_mask', (eb) => eb.fn.countAll<number>().as('people')])
      .where('incident_id', '=', incidentId)
      .groupBy(['country', 'region', 'category_mask'])
      .execute();
  }
}
