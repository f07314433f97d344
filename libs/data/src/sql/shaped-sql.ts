import { Brackets, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import { RANK_FIELD, type ResolvedField, type SortKey } from '../shape/resolved-shape.js';
import type { FilterClause, ShapedQuery } from '../query/shaped-query.js';
import { keysetSegments, type KeysetKey, type SqlFragment } from './keyset.js';

/** Kinds whose values leave PostgreSQL as text in cursors, so they come back exactly (no ms rounding). */
const TEXT_KEY_KINDS = new Set(['timestamp', 'date', 'number', 'bigint']);

/** Kinds whose driver value is exact, so a selected field's column can serve as its cursor key. */
const EXACT_KINDS = new Set(['uuid', 'text', 'enum', 'integer', 'boolean']);

const FIELD_ALIASES: string[] = [];
const RELATION_ALIASES = new Map<string, string>();

/** The result column of the `i`-th selected field: `f<i>` (one string per index, made once). */
export function fieldAlias(i: number): string {
  return (FIELD_ALIASES[i] ??= `f${i}`);
}

/** The result column holding a joined relation's id: `r_<relation>` (made once per relation name). */
export function relationAlias(relation: string): string {
  let alias = RELATION_ALIASES.get(relation);
  if (alias === undefined) {
    alias = `r_${relation}`;
    if (RELATION_ALIASES.size < 10_000) RELATION_ALIASES.set(relation, alias);
  }
  return alias;
}

/**
 * The result column each cursor key is read from: the selected field's `f<i>` when it holds the
 * exact value, else its own `k<i>` column.
 */
export function keyColumns(query: ShapedQuery): string[] {
  return query.keys.map((k, i) => {
    const at = EXACT_KINDS.has(k.field.kind) && !k.field.isArray ? query.fields.indexOf(k.field) : -1;
    return at >= 0 ? fieldAlias(at) : `k${i}`;
  });
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Turns a {@link ShapedQuery} into SQL on a TypeORM query builder: joins only the relations the
 * query touches, binds every value as a named parameter, selects only the requested columns (as
 * raw aliases `f0..`, plus the cursor keys `k0..`), orders with nulls last.
 */
export class ShapedSql<T extends ObjectLiteral> {
  private readonly alias: string;
  private paramSeq = 0;
  private readonly params: Record<string, unknown> = {};
  /** The WHERE fragments of the filters and the search, computed once (stable parameter names). */
  private readonly conditions: readonly string[];

  constructor(
    private readonly base: SelectQueryBuilder<T>,
    private readonly query: ShapedQuery,
  ) {
    this.alias = base.alias;
    const conditions = query.filters.map((f) => this.filterSql(f));
    if (query.search !== undefined) conditions.push(`${this.vectorExpr()} @@ ${this.tsQuery()}`);
    this.conditions = conditions;
  }

  /** The resolved shape the query was parsed against. */
  get shape(): ShapedQuery['shape'] {
    return this.query.shape;
  }

  /** The SQL expression of a field (`"post"."title"`, `"post__author"."email"`, the rank). */
  expr(field: ResolvedField): string {
    if (field === RANK_FIELD) return this.rankExpr();
    return `${this.base.escape(this.tableAlias(field.relation))}.${this.base.escape(field.column)}`;
  }

  /** Builder with joins, filters and search applied: what `count` and every page segment share. */
  filtered(): SelectQueryBuilder<T> {
    const qb = this.base.clone();
    for (const relation of this.relations())
      qb.leftJoin(`${this.alias}.${relation}`, this.tableAlias(relation));
    if (this.conditions.length > 0)
      qb.andWhere(new Brackets((w) => this.conditions.forEach((c) => w.andWhere(c, this.params))));
    return qb;
  }

  /** A page query: `filtered()` plus a keyset fragment, order, selection and limit. */
  page(
    where: SqlFragment | undefined,
    reverse: boolean,
    limit: number,
    offset?: number,
  ): SelectQueryBuilder<T> {
    const qb = this.filtered();
    if (where) qb.andWhere(where.sql, where.params);
    const [first, ...rest] = this.selection();
    qb.select(first![0], first![1]);
    for (const [expr, alias] of rest) qb.addSelect(expr, alias);
    this.ordering(reverse).forEach(([expr, direction, nulls], i) => {
      if (i === 0) qb.orderBy(expr, direction, nulls);
      else qb.addOrderBy(expr, direction, nulls);
    });
    qb.limit(limit);
    if (offset !== undefined) qb.offset(offset);
    return qb.setParameters({ ...qb.getParameters(), ...this.params });
  }

  /**
   * A text that is equal for two page queries exactly when their SQL is (parameter values aside):
   * what a SQL cache keys on, next to the base query builder's own fingerprint.
   */
  planKey(where: SqlFragment | undefined, reverse: boolean, limit: number, offset?: number): string {
    // Everything the SQL text depends on, written short: the filter's path and operator (and the
    // one value that changes text, isNull's), the fields, the keys, search, the keyset fragment.
    const q = this.query;
    let key = '';
    for (const f of q.fields) key += `${f.path},`;
    key += '|';
    for (const c of q.filters) key += `${c.field.path}:${c.op}${c.op === 'isNull' ? String(c.value) : ''};`;
    key += '|';
    for (const k of q.keys) key += `${k.descending ? '-' : ''}${k.field.path},`;
    return `${key}|${q.search === undefined ? '' : 's'}|${reverse ? 'r' : ''}|${limit}|${offset ?? ''}|${where?.sql ?? ''}`;
  }

  /** The parameters of a page query besides the base query builder's own. */
  parameters(where: SqlFragment | undefined): Record<string, unknown> {
    return where ? { ...this.params, ...where.params } : this.params;
  }

  /** `[expression, alias]` of every selected column: fields `f0..`, relation ids `r_<relation>`, keys `k0..`. */
  private selection(): [string, string][] {
    const columns: [string, string][] = this.query.fields.map((f, i) => [this.output(f), fieldAlias(i)]);
    for (const relation of this.selectedRelations())
      columns.push([
        this.expr({ ...this.query.shape.primary, relation, path: `${relation}.id` }),
        relationAlias(relation),
      ]);
    const keyed = keyColumns(this.query);
    this.query.keys.forEach((k, i) => {
      if (keyed[i] !== `k${i}`) return; // the selected field's column already holds the exact value
      columns.push([
        TEXT_KEY_KINDS.has(k.field.kind) ? `(${this.expr(k.field)})::text` : this.expr(k.field),
        `k${i}`,
      ]);
    });
    return columns;
  }

  /**
   * A selected field's output expression. An instant (`timestamptz`) leaves PostgreSQL already
   * written as JavaScript's `toISOString()` would write it (UTC, milliseconds truncated as `pg`'s
   * Date parsing truncates them), so the driver parses no Date per row; non-finite values stay
   * null. A `date` leaves as `YYYY-MM-DD` text. Everything else is the column itself.
   */
  private output(field: ResolvedField): string {
    const e = this.expr(field);
    if (field.isArray) return e;
    // A calendar date leaves as `YYYY-MM-DD`, as TypeORM reads it into an entity (`pg` would make
    // it a Date at local midnight, listed as a timestamp); `infinity` stays as PostgreSQL writes it.
    if (field.kind === 'date')
      return `CASE WHEN isfinite(${e}) THEN to_char(${e}, 'YYYY-MM-DD') ELSE ${e}::text END`;
    if (field.kind !== 'timestamp' || !field.timeZone) return e;
    return `CASE WHEN isfinite(${e}) THEN to_char(${e} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') END`;
  }

  /** `[expression, direction, nulls]` of every sort key. */
  private ordering(reverse: boolean): [string, 'ASC' | 'DESC', 'NULLS FIRST' | 'NULLS LAST' | undefined][] {
    return this.query.keys.map((k) => {
      const descending = k.descending !== reverse;
      // Nulls last for nullable keys; NOT NULL keys keep PostgreSQL's default so plain indexes match.
      const nulls = k.field.nullable ? (reverse ? 'NULLS FIRST' : 'NULLS LAST') : undefined;
      return [this.expr(k.field), descending ? 'DESC' : 'ASC', nulls];
    });
  }

  /** The WHERE segments for the query's cursor (none without a cursor). */
  keysetSegments(reverse: boolean): (SqlFragment | undefined)[] {
    const cursor = this.query.cursor;
    if (!cursor) return [undefined];
    const keys: KeysetKey[] = this.query.keys.map((k: SortKey) => ({
      sql: this.expr(k.field),
      descending: k.descending,
      nullable: k.field.nullable,
    }));
    return keysetSegments(keys, cursor.values, reverse, 'kc_');
  }

  /** Relations (to-one) the query touches in fields, filters or sort. */
  private relations(): Set<string> {
    const used = new Set<string>();
    for (const f of [
      ...this.query.fields,
      ...this.query.filters.map((c) => c.field),
      ...this.query.keys.map((k) => k.field),
    ])
      if (f.relation) used.add(f.relation);
    return used;
  }

  private selectedRelations(): Set<string> {
    return new Set(this.query.fields.flatMap((f) => (f.relation ? [f.relation] : [])));
  }

  private tableAlias(relation: string | null): string {
    return relation === null ? this.alias : `${this.alias}__${relation}`;
  }

  private bind(value: unknown): string {
    const name = `kf${this.paramSeq++}`;
    this.params[name] = value;
    return `:${name}`;
  }

  private filterSql({ field, op, value }: FilterClause): string {
    const e = this.expr(field);
    if (field.isArray) {
      switch (op) {
        case 'eq':
          return `${this.bind(value)} = ANY(${e})`;
        case 'contains':
          return `${e} @> ${this.bind(value)}`;
        case 'in':
          return `${e} && ${this.bind(value)}`;
        default:
          return `${e} IS ${value ? '' : 'NOT '}NULL`;
      }
    }
    switch (op) {
      case 'eq':
        return `${e} = ${this.bind(value)}`;
      case 'ne':
        return `${e} IS DISTINCT FROM ${this.bind(value)}`;
      case 'gt':
        return `${e} > ${this.bind(value)}`;
      case 'gte':
        return `${e} >= ${this.bind(value)}`;
      case 'lt':
        return `${e} < ${this.bind(value)}`;
      case 'lte':
        return `${e} <= ${this.bind(value)}`;
      case 'in':
        return `${e} = ANY(${this.bind(value)})`;
      case 'nin': {
        // Like `ne`, a null is "none of the list" (plain NOT IN would drop the null rows).
        const notIn = `NOT (${e} = ANY(${this.bind(value)}))`;
        return field.nullable ? `(${e} IS NULL OR ${notIn})` : notIn;
      }
      case 'contains':
        return `${e} LIKE ${this.bind(`%${escapeLike(value as string)}%`)}`;
      case 'icontains':
        return `${e} ILIKE ${this.bind(`%${escapeLike(value as string)}%`)}`;
      case 'startsWith':
        return `${e} LIKE ${this.bind(`${escapeLike(value as string)}%`)}`;
      case 'isNull':
        return `${e} IS ${value ? '' : 'NOT '}NULL`;
      case 'between': {
        const [low, high] = value as [unknown, unknown];
        return `${e} BETWEEN ${this.bind(low)} AND ${this.bind(high)}`;
      }
    }
  }

  private searchConfig(): string {
    return `${this.bindOnce('kconfig', this.query.shape.search!.config)}::regconfig`;
  }

  private tsQuery(): string {
    return `websearch_to_tsquery(${this.searchConfig()}, ${this.bindOnce('ksearch', this.query.search)})`;
  }

  private vectorExpr(): string {
    const search = this.query.shape.search!;
    if (search.vectorColumn)
      return `${this.base.escape(this.alias)}.${this.base.escape(search.vectorColumn)}`;
    return search.fields
      .map(
        ({ field, weight }) =>
          `setweight(to_tsvector(${this.searchConfig()}, coalesce(${this.expr(field)}, '')), '${weight}')`,
      )
      .join(' || ');
  }

  private rankExpr(): string {
    return `ts_rank(${this.vectorExpr()}, ${this.tsQuery()})`;
  }

  private bindOnce(name: string, value: unknown): string {
    this.params[name] = value;
    return `:${name}`;
  }
}
