import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { CursorCodec } from '../query/cursor.codec.js';
import { cursorScope, type ShapedQuery } from '../query/shaped-query.js';
import { runPageQuery, type PageSqlCache } from '../sql/page-query.runner.js';
import type { SqlFragment } from '../sql/keyset.js';
import { fieldAlias, keyColumns, relationAlias, ShapedSql } from '../sql/shaped-sql.js';
import type { ResolvedField } from '../shape/resolved-shape.js';

type RawRow = Record<string, unknown>;

/** One page of a shaped list: the JSON body of `GET /resources`. */
export interface ShapedPage<R = Record<string, unknown>> {
  data: R[];
  meta: {
    limit: number;
    nextCursor: string | null;
    prevCursor: string | null;
    /** With `count=true`: every row matching the filters and search. */
    total?: number;
    /** In offset mode (`page=`): the 1-based page number. */
    page?: number;
  };
}

/** Rows per query when a list is read whole (CSV export). */
export const EXPORT_BATCH = 1000;

/** A selected field as a result row holds it (CSV rows). */
interface RowColumn {
  readonly field: ResolvedField;
  /** Its column (`f<i>`). */
  readonly alias: string;
}

type RowReader = (row: RawRow) => Record<string, unknown>;

/** Row readers by selected-field list (parsing hands out one immutable list per `fields` value). */
const readers = new WeakMap<readonly ResolvedField[], RowReader>();

/** A property name in an object literal: `__proto__` computed, so it is an own property as well. */
const propertyName = (name: string): string =>
  name === '__proto__' ? '["__proto__"]' : JSON.stringify(name);

/**
 * The function building a page's row object: one object literal (a fixed shape for V8, no keyed
 * store per field), compiled once per field selection. A relation's fields nest under its name,
 * or the relation is null when the row has no related row (`r_<relation>` is null). Property
 * names are declared paths and column aliases, JSON-quoted, never request input.
 */
function rowReader(fields: readonly ResolvedField[]): RowReader {
  let reader = readers.get(fields);
  if (reader !== undefined) return reader;
  // Top-level properties in field order; a relation sits where its first field is.
  const props: (string | { relation: string })[] = [];
  const nested = new Map<string, string[]>();
  fields.forEach((f, i) => {
    const cell = `row[${JSON.stringify(fieldAlias(i))}] ?? null`;
    const value = f.read ? `reads[${i}](${cell})` : cell;
    if (f.relation === null) {
      props.push(`${propertyName(f.path)}: ${value}`);
      return;
    }
    let inner = nested.get(f.relation);
    if (inner === undefined) {
      nested.set(f.relation, (inner = []));
      props.push({ relation: f.relation });
    }
    inner.push(`${propertyName(f.path.slice(f.relation.length + 1))}: ${value}`);
  });
  const body = props.map((prop) => {
    if (typeof prop === 'string') return prop;
    const missing = `row[${JSON.stringify(relationAlias(prop.relation))}] == null`;
    return `${propertyName(prop.relation)}: ${missing} ? null : { ${nested.get(prop.relation)!.join(', ')} }`;
  });
  reader = new Function('reads', `return (row) => ({ ${body.join(', ')} });`)(
    fields.map((f) => f.read),
  ) as RowReader;
  readers.set(fields, reader);
  return reader;
}

/**
 * A shaped list not yet run: return it from a controller method decorated by `@Shape()` and Kwik
 * answers with a JSON page (plus `Link` and `X-Total-Count`) or, for `format=csv`, streams every
 * matching row as CSV. Call {@link page} yourself to post-process rows.
 *
 * @example
 * list(@Shape(PostShape) query: ShapedQuery) {
 *   return this.lists.list(this.posts.createQueryBuilder('post'), query);
 * }
 */
export class ShapedList<T extends ObjectLiteral = ObjectLiteral> {
  constructor(
    readonly queryBuilder: SelectQueryBuilder<T>,
    readonly query: ShapedQuery,
    private readonly codec: CursorCodec,
    private readonly cache?: PageSqlCache,
  ) {
    this.keyColumns = keyColumns(query);
  }

  /** The result column of each cursor key. */
  private readonly keyColumns: readonly string[];
  private columns: readonly RowColumn[] | undefined;

  /** Runs the list: the rows of the requested page, the cursors around it, and the total when asked. */
  page(): Promise<ShapedPage> {
    // Written with `then` rather than `await`: on Node 20 every await on this hot path also costs
    // async-hook work for the request context.
    const q = this.query;
    const sql = new ShapedSql(this.queryBuilder, q);
    const total = q.count ? this.count(sql) : undefined;
    total?.catch(() => undefined); // awaited below; a failure then is not also an unhandled rejection
    const reverse = q.cursor?.direction === 'before';
    let raw: Promise<RawRow[]>;
    if (q.page !== undefined) {
      raw = this.run(sql, undefined, false, q.limit + 1, (q.page - 1) * q.limit);
    } else {
      const segments = sql.keysetSegments(reverse);
      const collect = (i: number, rows: RawRow[]): Promise<RawRow[]> =>
        this.run(sql, segments[i], reverse, q.limit + 1 - rows.length).then((more) => {
          const all = rows.length === 0 ? more : [...rows, ...more];
          return all.length > q.limit || i + 1 >= segments.length ? all : collect(i + 1, all);
        });
      raw = collect(0, []);
    }
    return raw.then((rows) => {
      const page = this.toPage(rows, reverse);
      return total === undefined ? page : total.then((n) => ({ ...page, meta: { ...page.meta, total: n } }));
    });
  }

  /** The page body from the raw rows (one more than the limit when there are more). */
  private toPage(raw: RawRow[], reverse: boolean): ShapedPage {
    const q = this.query;
    const more = raw.length > q.limit;
    const rows = more ? raw.slice(0, q.limit) : raw;
    if (reverse) rows.reverse();
    // Only the cursors the page links to are signed (an HMAC each).
    const first = (): string | null => (rows.length ? this.cursorOf(rows[0]!) : null);
    const last = (): string | null => (rows.length ? this.cursorOf(rows.at(-1)!) : null);
    const here = (): string | null =>
      q.cursor ? this.codec.encode(q.shape.name, cursorScope(q.keys, q.search), q.cursor.values) : null;
    let nextCursor: string | null;
    let prevCursor: string | null;
    if (q.page !== undefined) {
      nextCursor = more ? last() : null;
      prevCursor = q.page > 1 ? first() : null;
    } else if (reverse) {
      nextCursor = last() ?? here();
      prevCursor = more ? first() : null;
    } else {
      nextCursor = more ? last() : null;
      prevCursor = q.cursor ? (first() ?? here()) : null;
    }
    return {
      data: rows.map(rowReader(q.fields)),
      meta: { limit: q.limit, nextCursor, prevCursor, ...(q.page !== undefined ? { page: q.page } : {}) },
    };
  }

  /**
   * Every matching row in list order (filters, search and sort apply; limit and cursors do not),
   * as flat records keyed by field path, read in keyset batches of {@link EXPORT_BATCH} so memory
   * stays constant however many rows there are.
   */
  async *rows(maxRows = Number.POSITIVE_INFINITY): AsyncGenerator<Record<string, unknown>> {
    let query: ShapedQuery = { ...this.query, limit: EXPORT_BATCH };
    delete (query as { cursor?: unknown }).cursor;
    let emitted = 0;
    for (;;) {
      const sql = new ShapedSql(this.queryBuilder, query);
      const batch: RawRow[] = [];
      for (const segment of sql.keysetSegments(false)) {
        batch.push(...(await this.run(sql, segment, false, EXPORT_BATCH - batch.length)));
        if (batch.length >= EXPORT_BATCH) break;
      }
      for (const row of batch) {
        if (emitted++ >= maxRows) return;
        yield this.toFlat(row);
      }
      if (batch.length < EXPORT_BATCH) return;
      query = { ...query, cursor: { direction: 'after', values: this.keysOf(batch.at(-1)!) } };
    }
  }

  private run(
    sql: ShapedSql<T>,
    where: SqlFragment | undefined,
    reverse: boolean,
    limit: number,
    offset?: number,
  ): Promise<RawRow[]> {
    try {
      return runPageQuery(this.queryBuilder, sql, where, reverse, limit, offset, this.cache);
    } catch (error) {
      return Promise.reject(error); // building the SQL failed: a rejection like the query's own
    }
  }

  private async count(sql: ShapedSql<T>): Promise<number> {
    const row = await sql
      .filtered()
      .select('COUNT(*)::int', 'total')
      .orderBy()
      .getRawOne<{ total: number }>();
    return row?.total ?? 0;
  }

  private keysOf(row: RawRow): unknown[] {
    return this.keyColumns.map((column) => row[column] ?? null);
  }

  private cursorOf(row: RawRow): string {
    return this.codec.encode(
      this.query.shape.name,
      cursorScope(this.query.keys, this.query.search),
      this.keysOf(row),
    );
  }

  /** The column alias each selected field is read from. */
  private columnsOf(): readonly RowColumn[] {
    return (this.columns ??= this.query.fields.map((field, i) => ({ field, alias: fieldAlias(i) })));
  }

  private toFlat(row: RawRow): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const { field, alias } of this.columnsOf()) {
      const raw = row[alias] ?? null;
      out[field.path] = field.read ? field.read(raw) : raw;
    }
    return out;
  }
}
