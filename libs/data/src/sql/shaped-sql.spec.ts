import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import type { FilterClause, ShapedQuery } from '../query/shaped-query.js';
import { testField } from '../shape/resolved-field.fixture.js';
import type { ResolvedShape } from '../shape/resolved-shape.js';
import { ShapedSql } from './shaped-sql.js';

const col = testField;
const id = col('id', 'uuid');
const title = col('title', 'text');
const views = col('views', 'integer');
const score = col('score', 'integer', { nullable: true });
const tags = col('tags', 'text', { isArray: true });
const email = col('author.email', 'text', { nullable: true });
const shape = { name: 'posts', primary: id } as ResolvedShape;

// No connection is opened: the builder only renders SQL text.
const dataSource = new DataSource({ type: 'postgres' });
const base = () => dataSource.createQueryBuilder().select().from('posts', 'post');

function query(filters: FilterClause[], extra: Partial<ShapedQuery> = {}): ShapedQuery {
  return {
    shape,
    filters,
    keys: [{ field: id, descending: false }],
    fields: [id, title],
    limit: 20,
    count: false,
    format: 'json',
    params: {},
    ...extra,
  };
}

describe('ShapedSql (the applier)', () => {
  it.each<[string, FilterClause, string, unknown[]]>([
    ['eq', { field: title, op: 'eq', value: 'a' }, '"post"."title" = :kf0', ['a']],
    ['ne keeps nulls', { field: score, op: 'ne', value: 1 }, '"post"."score" IS DISTINCT FROM :kf0', [1]],
    ['gt', { field: views, op: 'gt', value: 3 }, '"post"."views" > :kf0', [3]],
    ['in', { field: views, op: 'in', value: [1, 2] }, '"post"."views" = ANY(:kf0)', [[1, 2]]],
    [
      'nin, nullable',
      { field: score, op: 'nin', value: [1] },
      '("post"."score" IS NULL OR NOT ("post"."score" = ANY(:kf0)))',
      [[1]],
    ],
    [
      'contains escapes LIKE wildcards',
      { field: title, op: 'contains', value: '50%_off\\' },
      '"post"."title" LIKE :kf0',
      ['%50\\%\\_off\\\\%'],
    ],
    ['icontains', { field: title, op: 'icontains', value: 'Ab' }, '"post"."title" ILIKE :kf0', ['%Ab%']],
    ['startsWith', { field: title, op: 'startsWith', value: 'x' }, '"post"."title" LIKE :kf0', ['x%']],
    ['isNull', { field: score, op: 'isNull', value: false }, '"post"."score" IS NOT NULL', []],
    [
      'between',
      { field: views, op: 'between', value: [1, 9] },
      '"post"."views" BETWEEN :kf0 AND :kf1',
      [1, 9],
    ],
    [
      'array eq: has the element',
      { field: tags, op: 'eq', value: 'news' },
      ':kf0 = ANY("post"."tags")',
      ['news'],
    ],
    [
      'array contains: has all',
      { field: tags, op: 'contains', value: ['a', 'b'] },
      '"post"."tags" @> :kf0',
      [['a', 'b']],
    ],
    ['array in: has any', { field: tags, op: 'in', value: ['a'] }, '"post"."tags" && :kf0', [['a']]],
  ])('%s', (_case, clause, fragment, values) => {
    const sql = new ShapedSql(base(), query([clause]));
    expect(sql.page(undefined, false, 21).getQuery()).toContain(fragment);
    expect(Object.values(sql.parameters(undefined))).toEqual(values);
  });

  it('names a relation column by its join alias (the join itself needs entity metadata: see the e2e suites)', () => {
    const sql = new ShapedSql(base(), query([{ field: email, op: 'eq', value: 'e@x.test' }]));
    expect(sql.expr(email)).toBe('"post__author"."email"');
    expect(Object.values(sql.parameters(undefined))).toEqual(['e@x.test']);
  });

  it('renders one page query: selected columns and cursor keys as aliases, nulls last, limit (relations need entity metadata: see the e2e suites)', () => {
    const sql = new ShapedSql(
      base(),
      query([{ field: title, op: 'eq', value: 'a' }], {
        keys: [
          { field: score, descending: true },
          { field: id, descending: true },
        ],
        fields: [title, views],
      }),
    );
    const text = sql.page(undefined, false, 21).getQuery();
    expect(text).toContain('"post"."title" AS "f0"');
    expect(text).toContain('"post"."views" AS "f1"');
    expect(text).toContain('"post"."score" AS "k0"');
    expect(text).toMatch(/ORDER BY "post"\."score" DESC NULLS LAST, "post"\."id" DESC LIMIT 21/);
    const reversed = sql.page(undefined, true, 21).getQuery();
    expect(reversed).toMatch(/ORDER BY "post"\."score" ASC NULLS FIRST, "post"\."id" ASC LIMIT 21/);
  });

  it('writes instants (timestamptz) as ISO 8601 UTC text in SQL, so no Date is parsed per row', () => {
    const at = col('publishedAt', 'timestamp', { nullable: true, timeZone: true });
    const text = new ShapedSql(base(), query([], { fields: [at] })).page(undefined, false, 21).getQuery();
    expect(text).toContain(
      `CASE WHEN isfinite("post"."publishedAt") THEN to_char("post"."publishedAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') END AS "f0"`,
    );
  });

  it('writes calendar dates as YYYY-MM-DD text, as entities read them', () => {
    const day = col('day', 'date', { nullable: true });
    const text = new ShapedSql(base(), query([], { fields: [day] })).page(undefined, false, 21).getQuery();
    expect(text).toContain(
      `CASE WHEN isfinite("post"."day") THEN to_char("post"."day", 'YYYY-MM-DD') ELSE "post"."day"::text END AS "f0"`,
    );
  });

  it('never puts a value into the SQL text', () => {
    const hostile = "x'; DROP TABLE posts;--";
    const sql = new ShapedSql(base(), query([{ field: title, op: 'eq', value: hostile }]));
    expect(sql.page(undefined, false, 21).getQuery()).not.toContain('DROP');
  });
});
