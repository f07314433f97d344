import { RANK_FIELD, type ResolvedField, type ResolvedShape, type SortKey } from '../shape/resolved-shape.js';
import type { FilterOperator } from '../shape/shape.types.js';

/** One parsed filter: `filter[views][gt]=10` → `{ field: views, op: 'gt', value: 10 }`. */
export interface FilterClause {
  readonly field: ResolvedField;
  readonly op: FilterOperator;
  /** A single value, a list (`in`, `nin`, array `contains`), a pair (`between`) or a boolean (`isNull`). */
  readonly value: unknown;
}

/** The list request after parsing and validation: what the SQL applier and the page builder use. */
export interface ShapedQuery {
  readonly shape: ResolvedShape;
  readonly filters: readonly FilterClause[];
  /** The sort keys with the primary key appended as the last tie-breaker (a total order). */
  readonly keys: readonly SortKey[];
  /** The selected fields, in the order the client asked for them. */
  readonly fields: readonly ResolvedField[];
  readonly limit: number;
  /** Keyset position: rows after or before these key values. */
  readonly cursor?: { readonly direction: 'after' | 'before'; readonly values: readonly unknown[] };
  /** Offset mode: the 1-based page. */
  readonly page?: number;
  /** `count=true`: also count every matching row. */
  readonly count: boolean;
  /** `q=`: full-text search words. */
  readonly search?: string;
  readonly format: 'json' | 'csv';
  /** The query parameters as received (single values), for building `Link` URLs. */
  readonly params: Readonly<Record<string, string>>;
}

/** The canonical text of a key list, bound into cursors: `-publishedAt,-id`. */
export function sortSpec(keys: readonly SortKey[]): string {
  let spec = specs.get(keys);
  if (spec === undefined) {
    spec = keys.map((k) => `${k.descending ? '-' : ''}${k.field.path}`).join(',');
    specs.set(keys, spec);
  }
  return spec;
}

/** Specs of key lists already rendered: parsing hands the same immutable list out per sort value. */
const specs = new WeakMap<readonly SortKey[], string>();

/**
 * What a cursor is bound to besides the resource: the sort, and for a relevance-ordered search
 * the search words too (a rank from one search means nothing in another).
 */
export function cursorScope(keys: readonly SortKey[], search: string | undefined): string {
  const spec = sortSpec(keys);
  return keys[0]?.field === RANK_FIELD ? `${spec}\nq=${search ?? ''}` : spec;
}
