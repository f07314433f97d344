import type { ObjectLiteral } from 'typeorm';

/** Filter operators of the query syntax (`filter[field][op]=value`). */
export const FILTER_OPERATORS = [
  'eq',
  'ne',
  'gt',
  'gte',
  'lt',
  'lte',
  'in',
  'nin',
  'contains',
  'icontains',
  'startsWith',
  'isNull',
  'between',
] as const;

export type FilterOperator = (typeof FILTER_OPERATORS)[number];

/**
 * Named operator sets: `equality` (eq ne in nin isNull), `comparable` (equality + gt gte lt lte
 * between), `text` (equality + contains icontains startsWith), `all` (whatever the column's type
 * supports).
 */
export type FilterPreset = 'equality' | 'comparable' | 'text' | 'all';

type Scalar = string | number | boolean | bigint | Date | readonly unknown[];
type ColumnKey<T> = {
  [K in keyof T & string]: NonNullable<T[K]> extends Scalar ? K : never;
}[keyof T & string];
type RelationKey<T> = {
  [K in keyof T & string]: NonNullable<T[K]> extends Scalar
    ? never
    : NonNullable<T[K]> extends ObjectLiteral
      ? K
      : never;
}[keyof T & string];

/** A column of the entity (`title`) or of a to-one relation (`author.email`). */
export type ShapePath<T> =
  ColumnKey<T> | { [R in RelationKey<T>]: `${R}.${ColumnKey<NonNullable<T[R]>>}` }[RelationKey<T>];

/** Full-text search declaration: the text columns searched, with their weight (A highest). */
export interface SearchDeclaration<T> {
  /** Columns searched, each with a weight `A`..`D` (default `B`). */
  fields: Partial<Record<ColumnKey<T>, 'A' | 'B' | 'C' | 'D'>> | ColumnKey<T>[];
  /**
   * A stored `tsvector` column maintained by the database (a generated column with a GIN index —
   * see the README's migration recipe). When set, searches use it and its index; when unset the
   * vector is computed per row from `fields` (fine for small tables).
   */
  vectorColumn?: string;
  /** The text search configuration. @default 'simple' */
  config?: string;
}

/**
 * What a resource lets clients do with its list: the single declaration the parser, the SQL,
 * the cursors and the OpenAPI document are all derived from.
 */
export interface ShapeDeclaration<T> {
  /** Name bound into cursors (a cursor of one resource is refused by another). @default the table name */
  name?: string;
  /** Fields a client may request with `fields=`; anything else (password hashes, tenant ids) is never selectable. */
  fields: readonly ShapePath<T>[];
  /** Fields returned when the client sends no `fields=`. @default all of `fields` */
  defaultFields?: readonly ShapePath<T>[];
  /** Filterable fields with their operators (a preset name or a list). */
  filter?: Partial<Record<ShapePath<T>, FilterPreset | readonly FilterOperator[]>>;
  /** Fields a client may sort by. The primary key is always appended as the last tie-breaker. */
  sort?: readonly ShapePath<T>[];
  /** Sort used when the client sends none, e.g. `'-createdAt'` (comma list, minus = descending). @default the primary key, ascending */
  defaultSort?: string;
  /** `?q=` full-text search. */
  search?: SearchDeclaration<T>;
  /** Page sizes. @default { default: 20, max: 100 } */
  limit?: { default?: number; max?: number };
  /** Allow offset pages (`?page=N`) besides cursors. @default false */
  offset?: boolean;
  /** Most values an `in` / `nin` list may hold. @default 100 */
  maxListValues?: number;
}

/** An entity class. */
export type EntityClass<T> = abstract new (...args: never[]) => T;
