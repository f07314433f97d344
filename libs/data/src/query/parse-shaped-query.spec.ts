import { describe, expect, it } from 'vitest';
import { ProblemException } from '@kwik/core';
import { testField } from '../shape/resolved-field.fixture.js';
import { RANK_FIELD, type ResolvedShape } from '../shape/resolved-shape.js';
import type { FilterOperator } from '../shape/shape.types.js';
import { CursorCodec } from './cursor.codec.js';
import { parseShapedQuery } from './parse-shaped-query.js';

const makeField = testField;

/** A resolved shape built by hand for parser specs (no database needed). */
const ops = (...list: FilterOperator[]) => new Set(list);

function testShape(overrides: Partial<ResolvedShape> = {}): ResolvedShape {
  const id = makeField('id', 'uuid');
  const title = makeField('title', 'text');
  const views = makeField('views', 'integer');
  const status = makeField('status', 'enum', { enumValues: ['draft', 'published'] });
  const publishedAt = makeField('publishedAt', 'timestamp', { nullable: true });
  const tags = makeField('tags', 'text', { isArray: true });
  const email = makeField('author.email', 'text', { nullable: true });
  return {
    name: 'posts',
    entity: class Post {},
    primary: id,
    fields: new Map([id, title, views, status, publishedAt, email].map((f) => [f.path, f])),
    defaultFields: ['id', 'title'],
    filters: new Map([
      ['title', { field: title, ops: ops('eq', 'contains', 'icontains', 'startsWith') }],
      ['views', { field: views, ops: ops('eq', 'gt', 'gte', 'lt', 'lte', 'between', 'in') }],
      ['status', { field: status, ops: ops('eq', 'in', 'nin') }],
      ['publishedAt', { field: publishedAt, ops: ops('gte', 'lt', 'isNull') }],
      ['tags', { field: tags, ops: ops('eq', 'contains') }],
      ['author.email', { field: email, ops: ops('eq') }],
      ['id', { field: id, ops: ops('eq', 'in') }],
    ]),
    sortable: new Map([views, publishedAt, title].map((f) => [f.path, f])),
    defaultSort: [{ field: publishedAt, descending: true }],
    limit: { default: 20, max: 100 },
    offset: false,
    maxListValues: 5,
    ...overrides,
  };
}

const codec = new CursorCodec('a-test-secret-of-at-least-32-characters!');
const shape = testShape();

function problemsOf(
  query: Record<string, unknown>,
  s: ResolvedShape = shape,
): { field: string; message: string }[] {
  let caught: unknown;
  try {
    parseShapedQuery(s, query, codec);
  } catch (error) {
    caught = error;
  }
  if (!(caught instanceof ProblemException) || caught.problem.status !== 400)
    throw new Error(`expected a 400 problem for ${JSON.stringify(query)}, got ${String(caught)}`);
  return caught.problem.errors ?? [];
}

describe('parseShapedQuery: accepted input', () => {
  it('applies the defaults: default fields, default sort plus the primary key, default limit', () => {
    const q = parseShapedQuery(shape, {}, codec);
    expect(q.fields.map((f) => f.path)).toEqual(['id', 'title']);
    expect(q.keys.map((k) => `${k.descending ? '-' : ''}${k.field.path}`)).toEqual(['-publishedAt', '-id']);
    expect(q).toMatchObject({ limit: 20, count: false, format: 'json', filters: [] });
  });

  it.each([
    ['filter[title]', 'Hello', 'eq', 'Hello'],
    ['filter[title][icontains]', "o'brien; DROP TABLE x", 'icontains', "o'brien; DROP TABLE x"],
    ['filter[views][gt]', '10', 'gt', 10],
    ['filter[views][between]', '1,5', 'between', [1, 5]],
    ['filter[views][in]', '1,2,3', 'in', [1, 2, 3]],
    ['filter[status][nin]', 'draft', 'nin', ['draft']],
    ['filter[publishedAt][gte]', '2026-01-31T12:00:00Z', 'gte', '2026-01-31T12:00:00Z'],
    ['filter[publishedAt][isNull]', 'true', 'isNull', true],
    ['filter[tags]', 'news', 'eq', 'news'],
    ['filter[tags][contains]', 'news,ops', 'contains', ['news', 'ops']],
    ['filter[author.email]', 'a@b.test', 'eq', 'a@b.test'],
    ['filter[id]', '5F0C6C1E-9D7B-4BB0-8C35-0D3A4B8C9E01', 'eq', '5f0c6c1e-9d7b-4bb0-8c35-0d3a4b8c9e01'],
  ])('%s=%s → %s %j', (key, value, op, parsed) => {
    const q = parseShapedQuery(shape, { [key]: value }, codec);
    expect(q.filters).toHaveLength(1);
    expect(q.filters[0]).toMatchObject({ op, value: parsed });
  });

  it('parses sort, fields, limit and count together', () => {
    const q = parseShapedQuery(
      shape,
      { sort: 'views,-title', fields: 'title,author.email', limit: '100', count: 'true' },
      codec,
    );
    expect(q.keys.map((k) => `${k.descending ? '-' : ''}${k.field.path}`)).toEqual([
      'views',
      '-title',
      '-id',
    ]);
    expect(q.fields.map((f) => f.path)).toEqual(['title', 'author.email']);
    expect(q).toMatchObject({ limit: 100, count: true });
  });

  it('accepts its own cursor for the same sort, and the page param where offsets are allowed', () => {
    const first = parseShapedQuery(shape, { sort: 'views' }, codec);
    const cursor = codec.encode('posts', 'views,id', [3, '5f0c6c1e-9d7b-4bb0-8c35-0d3a4b8c9e01']);
    expect(parseShapedQuery(shape, { sort: 'views', before: cursor }, codec).cursor).toEqual({
      direction: 'before',
      values: [3, '5f0c6c1e-9d7b-4bb0-8c35-0d3a4b8c9e01'],
    });
    expect(first.cursor).toBeUndefined();
    expect(parseShapedQuery(testShape({ offset: true }), { page: '3' }, codec).page).toBe(3);
  });
});

describe('parseShapedQuery: refused input (400, naming the parameter and what is allowed)', () => {
  it.each([
    [{ 'filter[nope]': '1' }, 'filter[nope]', /not filterable; filterable fields: title, views/],
    [
      { 'filter[title][gt]': 'a' },
      'filter[title][gt]',
      /operator "gt" is not allowed on title; allowed: eq, contains/,
    ],
    [{ 'filter[views][gt]': 'abc' }, 'filter[views][gt]', /must be an integer/],
    [{ 'filter[views]': '99999999999' }, 'filter[views]', /must be an integer between/],
    [{ 'filter[views][between]': '1' }, 'filter[views][between]', /two values/],
    [{ 'filter[views][in]': '1,,2' }, 'filter[views][in]', /empty value/],
    [{ 'filter[views][in]': '1,2,3,4,5,6' }, 'filter[views][in]', /at most 5/],
    [{ 'filter[status]': 'deleted' }, 'filter[status]', /must be one of draft, published/],
    [{ 'filter[publishedAt][gte]': '2026-02-30' }, 'filter[publishedAt][gte]', /not a calendar date/],
    [{ 'filter[publishedAt][gte]': 'yesterday' }, 'filter[publishedAt][gte]', /ISO 8601/],
    [{ 'filter[publishedAt][isNull]': 'yes' }, 'filter[publishedAt][isNull]', /true or false/],
    [{ 'filter[id]': "1' OR '1'='1" }, 'filter[id]', /must be a UUID/],
    [{ 'filter[title]': 'a\u0000b' }, 'filter[title]', /NUL/],
    [{ 'filter[title]': 'x'.repeat(501) }, 'filter[title]', /at most 500/],
    [{ 'filter[views][gt][x]': '1' }, 'filter[views][gt][x]', /malformed/],
    [{ 'filter[]': '1' }, 'filter[]', /malformed/],
    [{ filter: '1' }, 'filter', /malformed/],
    [{ 'filter[title]': ['a', 'b'] }, 'filter[title]', /more than once/],
    [{ sort: 'body' }, 'sort', /"body" is not sortable; sortable fields: views, publishedAt, title/],
    [{ sort: 'views,views' }, 'sort', /twice/],
    [{ sort: '' }, 'sort', /not sortable/],
    [{ fields: 'id,passwordHash' }, 'fields', /"passwordHash" is not selectable/],
    [{ limit: '0' }, 'limit', /from 1 to 100/],
    [{ limit: '101' }, 'limit', /from 1 to 100/],
    [{ limit: '1e2' }, 'limit', /from 1 to 100/],
    [{ count: 'yes' }, 'count', /true or false/],
    [{ format: 'xml' }, 'format', /json or csv/],
    [{ page: '2' }, 'page', /cursors only/],
    [{ q: 'words' }, 'q', /no full-text search/],
    [{ after: 'a', before: 'b' }, 'before', /cannot be combined/],
    [{ after: 'forged.cursor' }, 'after', /not issued/],
    [{ unknown: '1' }, 'unknown', /not a parameter of this list/],
  ])('%j → %s', (query, field, message) => {
    const errors = problemsOf(query);
    const named = errors.find((e) => e.field === field);
    expect(errors.map((e) => e.field)).toContain(field);
    expect(named!.message).toMatch(message);
  });

  it('reports every problem of a request at once', () => {
    const errors = problemsOf({ 'filter[nope]': '1', sort: 'body', limit: '0' });
    expect(errors.map((e) => e.field)).toEqual(['filter[nope]', 'sort', 'limit']);
  });

  it('refuses a cursor replayed with another sort, and a repeated operator', () => {
    const cursor = codec.encode('posts', '-publishedAt,-id', [null, '5f0c6c1e-9d7b-4bb0-8c35-0d3a4b8c9e01']);
    expect(problemsOf({ sort: 'views', after: cursor })[0]).toMatchObject({
      field: 'after',
      message: /sort changed/,
    });
    expect(problemsOf({ 'filter[views]': '1', 'filter[views][eq]': '2' })[0]).toMatchObject({
      field: 'filter[views][eq]',
      message: /repeats the eq filter/,
    });
  });

  it('refuses a query with too many parameters', () => {
    const query = Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`p${i}`, '1']));
    expect(problemsOf(query)[0]).toMatchObject({ field: 'query', message: /at most 64/ });
  });
});

describe('parseShapedQuery: remembered sort and fields values', () => {
  it('hands out one immutable key and field list per value of a shape, and keeps refusing bad ones', () => {
    const s = testShape();
    const a = parseShapedQuery(s, { sort: 'views,-title', fields: 'id,views' }, codec);
    const b = parseShapedQuery(s, { sort: 'views,-title', fields: 'id,views', limit: '5' }, codec);
    expect(b.keys).toBe(a.keys);
    expect(b.fields).toBe(a.fields);
    expect(a.keys.map((k) => `${k.descending ? '-' : ''}${k.field.path}`)).toEqual([
      'views',
      '-title',
      '-id',
    ]);
    expect(parseShapedQuery(s, {}, codec).keys).toBe(parseShapedQuery(s, {}, codec).keys);
    // Another shape does not see this one's lists.
    expect(parseShapedQuery(testShape(), { sort: 'views,-title' }, codec).keys).not.toBe(a.keys);
    // A refused value is refused every time, with the same problem.
    for (let i = 0; i < 2; i++) {
      expect(problemsOf({ sort: 'nope' }, s)).toEqual([
        expect.objectContaining({
          field: 'sort',
          message: expect.stringMatching(
            /"nope" is not sortable; sortable fields: views, publishedAt, title/,
          ),
        }),
      ]);
      expect(problemsOf({ fields: 'id,secret' }, s)[0]).toMatchObject({
        field: 'fields',
        message: /"secret" is not selectable/,
      });
    }
    // A search without a sort still ranks first, whatever was remembered for no sort.
    const searchShape = testShape({ search: { fields: [], config: 'english' } });
    parseShapedQuery(searchShape, {}, codec);
    const ranked = parseShapedQuery(searchShape, { q: 'words' }, codec).keys;
    expect(ranked[0]!.field).toBe(RANK_FIELD);
    expect(parseShapedQuery(searchShape, { q: 'other words' }, codec).keys).toBe(ranked);
  });

  it('keeps the parameters as received for the Link header', () => {
    const raw = { 'filter[status]': 'published', fields: 'id,title', after: undefined as never };
    delete (raw as Record<string, unknown>).after;
    expect(parseShapedQuery(shape, raw, codec).params).toEqual({
      'filter[status]': 'published',
      fields: 'id,title',
    });
  });
});
