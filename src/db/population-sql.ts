import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { isAccountColumn, type PopulationFilter } from '../core/population-filter.js';
import type { DialectCapabilities } from './database.js';

/**
 * A population filter as a condition on `alias` (an account): every value is a bound parameter;
 * column names come from the account table's fixed list or go into the JSON key, also bound.
 * `!=` and `not in` keep accounts without the attribute: they are not what the filter excludes.
 */
export function populationCondition(
  filter: PopulationFilter,
  capabilities: DialectCapabilities,
  alias: string,
): RawBuilder<SqlBool> {
  if (filter.length === 0) return sql<SqlBool>`1 = 1`;
  const conditions = filter.map((clause) => {
    const target = isAccountColumn(clause.column)
      ? sql.ref(`${alias}.${clause.column}`)
      : capabilities.jsonText(`${alias}.attributes`, clause.column);
    const values = sql.join(clause.values.map((value) => sql.val(value)));
    return clause.op === 'in'
      ? sql`${target} in (${values})`
      : sql`(${target} is null or ${target} not in (${values}))`;
  });
  return sql<SqlBool>`(${sql.join(conditions, sql` and `)})`;
}
