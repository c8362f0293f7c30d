import { CATEGORIES } from '../core/categories.js';
import type { Category } from '../core/categories.js';
import { printableName } from '../core/escape.js';
import type { FormatName } from '../core/formats/format-spec.js';
import { openRows } from './read-dataset.js';
import type { DatasetCompression, DatasetLayout, ReadDatasetOptions } from './read-dataset.js';

export interface FieldSummary {
  name: string;
  /** Null for a field no format table or mapping knows: an unknown field. */
  category: Category | null;
  /** Records in which the field holds a non-empty value. */
  records: number;
}

export interface DatasetInspection {
  format: FormatName;
  layout: DatasetLayout;
  compression: DatasetCompression;
  rows: number;
  valid: number;
  quarantined: number;
  /** Every field seen in a record (valid or not), most often filled first. */
  fields: FieldSummary[];
  /** True when the records had more distinct field names than are counted. */
  fieldsTruncated: boolean;
  /** Valid records exposing each category. */
  categories: Record<Category, number>;
}

/** Distinct field names counted; beyond it (hostile input) new names are not. */
const MAX_FIELDS = 10_000;

/**
 * Reads a dataset as an import would, without importing it: detected format, layout, fields with
 * their categories and a category histogram. Streams; stops after `limit` rows when given.
 */
export async function inspectDataset(
  path: string,
  options: ReadDatasetOptions & { limit?: number },
): Promise<DatasetInspection> {
  const limit = options.limit ?? Infinity;
  const fields = new Map<string, FieldSummary>();
  let fieldsTruncated = false;
  const reader = await openRows(path, options, (ordinal, value, recordReader) => {
    if (ordinal > limit) return;
    for (const { name, category, filled } of recordReader.describe(value)) {
      let summary = fields.get(name);
      if (summary === undefined) {
        if (fields.size >= MAX_FIELDS) {
          fieldsTruncated = true;
          continue;
        }
        summary = { name: printableName(name), category, records: 0 };
        fields.set(name, summary);
      }
      if (filled) summary.records++;
    }
  });
  const categories = Object.fromEntries(CATEGORIES.map((category) => [category, 0])) as Record<
    Category,
    number
  >;
  let rows = 0;
  let valid = 0;
  for await (const row of reader.rows) {
    if (rows >= limit) break;
    rows++;
    if (row.status !== 'valid') continue;
    valid++;
    for (const category of row.fields.categories) categories[category]++;
  }
  return {
    format: reader.format,
    layout: reader.layout,
    compression: reader.compression,
    rows,
    valid,
    quarantined: rows - valid,
    fields: [...fields.values()].sort((a, b) => b.records - a.records || a.name.localeCompare(b.name)),
    fieldsTruncated,
    categories,
  };
}
