import { sql, type AliasedRawBuilder, type RawBuilder } from 'kysely';
import { CATEGORIES, categoryBit, type Category } from '../core/categories.js';

/**
 * The union of category masks over a group, in portable SQL: SQLite has no BIT_OR aggregate,
 * but MAX of each bit, summed, is the same thing.
 */
export function unionMask(column: string): RawBuilder<number> {
  const parts = CATEGORIES.map(
    (category) => sql`max(${sql.ref(column)} & ${sql.lit(categoryBit(category))})`,
  );
  return sql<number>`(${sql.join(parts, sql` + `)})`;
}

/** One column per category counting the rows whose mask has it. */
export function categoryCounts(column: string): AliasedRawBuilder<number, Category>[] {
  return CATEGORIES.map((category) =>
    sql<number>`sum(case when (${sql.ref(column)} & ${sql.lit(categoryBit(category))}) <> 0 then 1 else 0 end)`.as(
      category,
    ),
  );
}
