import { sql, type AliasedRawBuilder, type RawBuilder } from 'kysely';
import { CATEGORIES, categoryBit, type Category } from '../core/categories.js';

/** The union of category masks over a group: PostgreSQL's BIT_OR, registered on SQLite too. */
export function unionMask(column: string): RawBuilder<number> {
  return sql<number>`bit_or(${sql.ref(column)})`;
}

/** One column per category counting the rows whose mask has it. */
export function categoryCounts(column: string): AliasedRawBuilder<number, Category>[] {
  return CATEGORIES.map((category) =>
    sql<number>`sum(case when (${sql.ref(column)} & ${sql.lit(categoryBit(category))}) <> 0 then 1 else 0 end)`.as(
      category,
    ),
  );
}
