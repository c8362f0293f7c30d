import type { Kysely, Selectable } from 'kysely';
import type { Database, VendorFindingTable, VendorReviewTable } from './schema.js';

export type VendorReviewRow = Selectable<VendorReviewTable>;
export type VendorFindingRow = Selectable<VendorFindingTable>;

export class VendorReviewRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(review: VendorReviewRow): Promise<void> {
    await this.db.insertInto('vendor_review').values(review).execute();
  }

  async insertFindings(findings: VendorFindingRow[]): Promise<void> {
    if (findings.length === 0) return;
    await this.db.insertInto('vendor_finding').values(findings).execute();
  }

  /** Each vendor's most recent review: the latest review date, then the latest recorded. */
  latestPerVendor(): Promise<VendorReviewRow[]> {
    return this.db
      .selectFrom('vendor_review as r')
      .selectAll('r')
      .where('r.id', '=', (eb) =>
        eb
          .selectFrom('vendor_review as newer')
          .select('newer.id')
          .whereRef('newer.vendor_id', '=', 'r.vendor_id')
          .orderBy('newer.reviewed_at', 'desc')
          .orderBy('newer.recorded_at', 'desc')
          .orderBy('newer.id', 'desc')
          .limit(1),
      )
      .execute();
  }

  listForVendor(vendorId: string): Promise<VendorReviewRow[]> {
    return this.db
      .selectFrom('vendor_review')
      .selectAll()
      .where('vendor_id', '=', vendorId)
      .orderBy('reviewed_at', 'desc')
      .orderBy('recorded_at', 'desc')
      .execute();
  }

  /** Open findings whose due date has passed. */
  openFindingsDueBefore(instant: string): Promise<VendorFindingRow[]> {
    return this.db
      .selectFrom('vendor_finding')
      .selectAll()
      .where('status', '=', 'open')
      .where('due_at', '<', instant)
      .orderBy('due_at')
      .execute();
  }

  openFindingsOf(vendorId: string): Promise<VendorFindingRow[]> {
    return this.db
      .selectFrom('vendor_finding')
      .selectAll()
      .where('vendor_id', '=', vendorId)
      .where('status', '=', 'open')
      .orderBy('due_at')
      .execute();
  }

  findFinding(id: string): Promise<VendorFindingRow | undefined> {
    return this.db.selectFrom('vendor_finding').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async closeFinding(
    id: string,
    closure: { closed_at: string; closed_by: string; resolution: string | null },
  ) {
    await this.db
      .updateTable('vendor_finding')
      .set({ status: 'closed', ...closure })
      .where('id', '=', id)
      .execute();
  }
}
