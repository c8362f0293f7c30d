import { isJsonObject } from './format-spec.js';
import type { FormatSpec, JsonObject } from './format-spec.js';

/** A record's fields in order, as parallel arrays because this runs once per row. */
export interface FlatFields {
  names: string[];
  values: unknown[];
}

/** Deeper objects stay one field rather than being walked. */
const MAX_DEPTH = 8;
/** Never walked into: they stay ordinary, inert fields of their own. */
const OPAQUE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** GA4 puts a parameter's value under the member for its type. */
const TYPED_VALUES = ['string_value', 'int_value', 'float_value', 'double_value'];

/**
 * Fills `out` with the record's fields: nested objects as dotted paths (`context.location.city`),
 * containers unwrapped (Mixpanel `$properties.$email` reads as `$email`), key/value lists as
 * `<list>.<key>`. A list is one field; an empty object has none.
 */
export function flattenRecord(
  record: JsonObject,
  spec: Pick<FormatSpec, 'containers' | 'keyValueLists'>,
  out: FlatFields,
): void {
  out.names.length = 0;
  out.values.length = 0;
  addMembers(record, '', 0, spec, out);
}

function addMembers(
  object: JsonObject,
  prefix: string,
  depth: number,
  spec: Pick<FormatSpec, 'containers' | 'keyValueLists'>,
  out: FlatFields,
): void {
  for (const key of Object.keys(object)) {
    const value = object[key];
    if (prefix === '' && spec.containers.includes(key) && isJsonObject(value)) {
      addMembers(value, '', depth + 1, spec, out);
    } else if (prefix === '' && spec.keyValueLists.includes(key) && Array.isArray(value)) {
      addKeyValues(key, value as unknown[], out);
    } else if (isJsonObject(value) && depth < MAX_DEPTH && !OPAQUE_KEYS.has(key)) {
      addMembers(value, `${prefix}${key}.`, depth + 1, spec, out);
    } else {
      out.names.push(prefix === '' ? key : `${prefix}${key}`);
      out.values.push(value);
    }
  }
}

function addKeyValues(list: string, items: readonly unknown[], out: FlatFields): void {
  for (const item of items) {
    const named = isJsonObject(item) && typeof item.key === 'string';
    out.names.push(named ? `${list}.${item.key as string}` : list);
    out.values.push(named ? typedValue(item.value) : item);
  }
}

function typedValue(value: unknown): unknown {
  if (!isJsonObject(value)) return value;
  for (const type of TYPED_VALUES) {
    const typed = value[type];
    if (typed !== null && typed !== undefined) return typed;
  }
  return null;
}
