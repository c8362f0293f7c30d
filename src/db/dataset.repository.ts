import type { Kysely, Selectable } from 'kysely';
import type { ColumnRows, DialectCapabilities } from './database.js';
import type { Database, DatasetTable } from './schema.js';

export type DatasetRow = Selectable<DatasetTable>;

export class DatasetRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly capabilities: DialectCapabilities,
  ) {}

  async insert(dataset: DatasetRow): Promise<void> {
    await this.db.insertInto('dataset').values(dataset).execute();
  }

  async updateCounts(
    id: string,
    counts: Pick<
      DatasetRow,
      'sha256' | 'rows_read' | 'rows_valid' | 'rows_quarantined' | 'unknown_fields' | 'layout' | 'compression'
    >,
  ): Promise<void> {
    await this.db.updateTable('dataset').set(counts).where('id', '=', id).execute();
  }

  /** Runs the transaction of one import, which `work` opens (see `DialectCapabilities.bulkLoad`). */
  bulkLoad<T>(work: () => Promise<T>): Promise<T> {
    return this.capabilities.bulkLoad(this.db, work);
  }

  insertRecords(rows: ColumnRows<'exposed_record'>): Promise<void> {
    return this.capabilities.bulkInsert(this.db, 'exposed_record', rows);
  }

  /** Sealed value blocks (see `src/ingest/value-block.ts`). */
  insertValues(rows: ColumnRows<'exposed_value'>): Promise<void> {
    return this.capabilities.bulkInsert(this.db, 'exposed_value', rows);
  }

  insertRecordOrganizations(rows: ColumnRows<'record_organization'>): Promise<void> {
    return this.capabilities.bulkInsert(this.db, 'record_organization', rows);
  }

  insertQuarantined(rows: ColumnRows<'quarantined_row'>): Promise<void> {
    return this.capabilities.bulkInsert(this.db, 'quarantined_row', rows);
  }

  findBySha256(incidentId: string, sha256: string): Promise<DatasetRow | undefined> {
    return this.db
      .selectFrom('dataset')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .where('sha256', '=', sha256)
      .executeTakeFirst();
  }

  listForIncident(incidentId: string): Promise<DatasetRow[]> {
    return this.db
      .selectFrom('dataset')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('imported_at')
      .execute();
  }

  recordTotals(incidentId: string) {
    return this.db
      .selectFrom('dataset')
      .select((eb) => [
        eb.fn.coalesce(eb.fn.sum<number>('rows_read'), eb.lit(0)).as('read'),
        eb.fn.coalesce(eb.fn.sum<number>('rows_valid'), eb.lit(0)).as('valid'),
        eb.fn.coalesce(eb.fn.sum<number>('rows_quarantined'), eb.lit(0)).as('quarantined'),
      ])
      .where('incident_id', '=', incidentId)
      .executeTakeFirstOrThrow();
  }

  /** Deletes the incident's sealed values; returns how many records' values they were. */
  async purgeValues(incidentId: string): Promise<number> {
    const blocks = await this.db
      .deleteFrom('exposed_value')
      .where('incident_id', '=', incidentId)
      .returning('record_count')
      .execute();
    return blocks.reduce((records, block) => records + Number(block.record_count), 0);
  }

  async purgeAddresses(incidentId: string): Promise<void> {
    await this.db
      .updateTable('exposed_record')
      .set({ email_sealed: null })
      .where('incident_id', '=', incidentId)
      .execute();
  }

  listQuarantined(incidentId: string, limit: number) {
    return this.db
      .selectFrom('quarantined_row')
      .innerJoin('dataset', 'dataset.id', 'quarantined_row.dataset_id')
      .select([
        'dataset.file_name',
        'quarantined_row.source',
        'quarantined_row.line',
        'quarantined_row.byte_offset',
        'quarantined_row.reason',
        'quarantined_row.field',
      ])
      .where('quarantined_row.incident_id', '=', incidentId)
      .orderBy('dataset.imported_at')
      .orderBy('quarantined_row.ordinal')
      .limit(limit)
      .execute();
  }
}
