import type { ObjectLiteral, QueryRunner, SelectQueryBuilder } from 'typeorm';
import type { SqlFragment } from './keyset.js';
import type { ShapedSql } from './shaped-sql.js';

type RawRow = Record<string, unknown>;

/** Most distinct page queries whose SQL text is kept. */
const MAX_ENTRIES = 1000;

/**
 * The SQL text of shaped page queries, by shape of query (parameter values aside). TypeORM builds a
 * page query's text in ~80 µs; a list endpoint sees a handful of distinct shapes, so the text is
 * built once per shape and only the values are bound per request; each text also gets a
 * prepared-statement name. One instance per app
 * (`ShapeRuntime` owns it).
 */
export class PageSqlCache {
  private readonly entries = new Map<string, CachedPageSql>();
  private readonly shapes = new WeakMap<object, number>();
  private sequence = 0;

  /** A number per resolved shape: two shapes over one table may render the same paths differently (search). */
  shapeId(shape: object): number {
    let id = this.shapes.get(shape);
    if (id === undefined) this.shapes.set(shape, (id = ++this.sequence));
    return id;
  }

  get(key: string): CachedPageSql | undefined {
    return this.entries.get(key);
  }

  set(key: string, text: string, positional?: PositionalSql): CachedPageSql {
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    const entry = { text, name: `kwik_page_${++this.sequence}`, ...(positional ? { positional } : {}) };
    this.entries.set(key, entry);
    return entry;
  }
}

/** A cached page query: its SQL text with named parameters, and its prepared-statement name. */
export interface CachedPageSql {
  readonly text: string;
  /** Unique per text for this cache's lifetime, so PostgreSQL plans it once per connection. */
  readonly name: string;
  /** The text with `$n` placeholders and the parameter name of each, when that is fixed. */
  readonly positional?: PositionalSql;
}

/** SQL with `$n` placeholders, and the named parameter bound to each. */
export interface PositionalSql {
  readonly text: string;
  readonly names: readonly string[];
}

const PROBE = Symbol('kwik:data:probe');

/**
 * Replaces the named parameters once, with TypeORM's own escaping on probe values, and records which
 * name each `$n` is. Not possible (undefined) when a spread list (`:...name`) makes the text depend
 * on the values.
 */
function toPositional(
  driver: { escapeQueryWithParameters(sql: string, params: ObjectLiteral): [string, unknown[]] },
  text: string,
  names: Iterable<string>,
): PositionalSql | undefined {
  if (text.includes(':...')) return undefined;
  const probe = Object.fromEntries([...names].map((name) => [name, { [PROBE]: name }]));
  const [positional, values] = driver.escapeQueryWithParameters(text, probe);
  return { text: positional, names: values.map((v) => (v as { [PROBE]: string })[PROBE]) };
}

interface PgPool {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: RawRow[] }>;
}

/**
 * What of a base query builder shapes its SQL text, or undefined when it holds more than a main
 * table and plain string conditions (joins, ordering, paging, locks, sub-queries): such builders
 * are always built by TypeORM per request.
 */
function fingerprint(base: SelectQueryBuilder<ObjectLiteral>): string | undefined {
  const map = base.expressionMap;
  if (
    !map.mainAlias?.hasMetadata ||
    map.joinAttributes.length > 0 ||
    map.orderBys === undefined ||
    Object.keys(map.orderBys).length > 0 ||
    map.groupBys.length > 0 ||
    map.havings.length > 0 ||
    map.commonTableExpressions.length > 0 ||
    map.limit !== undefined ||
    map.offset !== undefined ||
    map.take !== undefined ||
    map.skip !== undefined ||
    map.lockMode !== undefined ||
    map.subQuery ||
    map.comment !== undefined ||
    !map.wheres.every((w) => typeof w.condition === 'string')
  )
    return undefined;
  const wheres = map.wheres.map((w) => `${w.type}:${w.condition as string}`).join('\n');
  return `${map.mainAlias.metadata.tableName}\n${base.alias}\n${String(map.withDeleted)}\n${wheres}`;
}

/**
 * Runs one page query of a shaped list and returns its raw rows. With a cache and a plain base
 * builder the SQL text comes from the cache and the values are bound by TypeORM's own escaping;
 * it runs on the builder's query runner (inside a transaction) or straight on the driver's pool
 * (statements stay visible to `@kwik/database`'s SQL observer, which sits on the pool's clients).
 */
export function runPageQuery<T extends ObjectLiteral>(
  base: SelectQueryBuilder<T>,
  sql: ShapedSql<T>,
  where: SqlFragment | undefined,
  reverse: boolean,
  limit: number,
  offset: number | undefined,
  cache: PageSqlCache | undefined,
): Promise<RawRow[]> {
  const print = cache && fingerprint(base as SelectQueryBuilder<ObjectLiteral>);
  if (!cache || print === undefined) return sql.page(where, reverse, limit, offset).getRawMany<RawRow>();
  const key = `${print}\n${cache.shapeId(sql.shape)}\n${sql.planKey(where, reverse, limit, offset)}`;
  const driver = base.connection.driver;
  const own = sql.parameters(where);
  const inherited = base.getParameters();
  let entry = cache.get(key);
  if (entry === undefined) {
    const text = sql.page(where, reverse, limit, offset).getQuery();
    entry = cache.set(
      key,
      text,
      toPositional(driver, text, [...Object.keys(inherited), ...Object.keys(own)]),
    );
  }
  let query: string;
  let values: unknown[];
  const positional = entry.positional;
  if (positional) {
    query = positional.text;
    values = positional.names.map((name) => (name in own ? own[name] : inherited[name]));
  } else {
    [query, values] = driver.escapeQueryWithParameters(entry.text, { ...inherited, ...own });
  }
  // TypeORM writes a function-valued parameter into the SQL text: leave those to it.
  if (positional && values.some((v) => typeof v === 'function'))
    [query, values] = driver.escapeQueryWithParameters(entry.text, { ...inherited, ...own });
  // A builder made from a transaction's manager carries that transaction's runner.
  const runner = (base as unknown as { queryRunner?: QueryRunner }).queryRunner;
  if (runner) return runner.query(query, values) as Promise<RawRow[]>;
  const pool = (driver as { master?: Partial<PgPool> }).master;
  if (typeof pool?.query !== 'function') return base.connection.query(query, values) as Promise<RawRow[]>;
  // A named statement: PostgreSQL parses and plans it once per connection, as a hand-written
  // endpoint with prepared statements would.
  return (pool as PgPool).query({ name: entry.name, text: query, values }).then((result) => result.rows);
}
