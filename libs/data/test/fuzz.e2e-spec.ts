import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ITEM_COLUMNS, startItemsApp, type ItemsUnderTest } from './fixtures/items.app.js';

const FIELDS = ['id', 'name', 'rank', 'score', 'dueAt', 'category', 'tags', 'body', 'owner.email', 'owner'];
const OPS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'nin', 'contains', 'icontains', 'startsWith'];
const HOSTILE = [
  '',
  ' ',
  '[',
  ']',
  '[]',
  '][',
  '.',
  '..',
  ',',
  ',,,',
  '-',
  '--',
  "'",
  '"',
  '\\',
  '`',
  '%',
  '%00',
  '%zz',
  '%E0%A4',
  '%C0%AF',
  '%F0%9F%98%80',
  '%5B',
  '%5D',
  '%2C',
  '%26',
  '%3D',
  '\u0000',
  '\u202E',
  '\uFEFF',
  '😀',
  '日本語',
  'ǅ',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '99999999999999999999999999',
  '-9223372036854775809',
  '2147483648',
  '0x10',
  '1_000',
  'null',
  'undefined',
  'true',
  'false',
  '2026-01-01',
  '2026-02-30T25:61:61Z',
  '0000-00-00',
  '9999-12-31T23:59:59.999999+14:00',
  "'; DROP TABLE items;--",
  '$1',
  ':kf0',
  '%3Akc0_0',
  '\\x00',
  'a'.repeat(600),
  ','.repeat(150),
];

/** One piece of a key or value: a hostile token, a plausible word, or arbitrary text. */
const piece = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 3, arbitrary: fc.constantFrom(...FIELDS, ...OPS, 'isNull', 'between', 'low', 'urgent') },
  { weight: 2, arbitrary: fc.integer({ min: -3, max: 200 }).map(String) },
  { weight: 1, arbitrary: fc.bigInt().map(String) },
  { weight: 1, arbitrary: fc.double().map(String) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
);
const text = fc.array(piece, { minLength: 1, maxLength: 4 }).map((parts) => parts.join(''));
const list = fc.array(piece, { minLength: 1, maxLength: 25 }).map((parts) => parts.join(','));

const key = fc.oneof(
  fc.constantFrom('sort', 'fields', 'limit', 'after', 'before', 'count', 'page', 'q', 'format', 'filter'),
  fc
    .tuple(
      fc.constantFrom(...FIELDS),
      fc.option(fc.constantFrom(...OPS, 'isNull', 'between'), { nil: undefined }),
    )
    .map(([f, op]) => `filter[${f}]${op ? `[${op}]` : ''}`),
  fc.tuple(text, fc.option(text, { nil: undefined })).map(([f, op]) => `filter[${f}]${op ? `[${op}]` : ''}`),
  fc
    .array(fc.constantFrom('filter', '[', ']', 'rank', 'gt', '.', 'owner', 'email'), { maxLength: 8 })
    .map((p) => p.join('')),
  text,
);
const value = fc.oneof(
  text,
  list,
  fc.constantFrom('rank', '-rank', 'name,-score', '-dueAt,category', 'rank,rank', '-', 'id,owner.email'),
);

const intish = fc.oneof(fc.integer({ min: -5, max: 10 }).map(String), piece);
const dateish = fc.oneof(
  fc
    .date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.constantFrom(
    '2026-01-01',
    '2026-01-01 10:00',
    '2026-01-01T10:00:00+05:30',
    '2026-01-01T10:00:00.123456Z',
  ),
  piece,
);
const words = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 20 }), piece);
const csvOf = (arb: fc.Arbitrary<string>) =>
  fc.array(arb, { minLength: 1, maxLength: 6 }).map((a) => a.join(','));
const op = (...ops: string[]) => fc.constantFrom(...ops);

type KV = [key: string, value: string];

/** Parameters the shape accepts, with values that are mostly well-formed: these reach the SQL. */
const plausible: fc.Arbitrary<KV> = fc.oneof(
  fc
    .tuple(op('eq', 'ne', 'contains', 'icontains', 'startsWith', 'gt', 'lte'), words)
    .map(([o, v]): KV => [`filter[name][${o}]`, v]),
  fc.tuple(op('eq', 'ne', 'gt', 'gte', 'lt', 'lte'), intish).map(([o, v]): KV => [`filter[rank][${o}]`, v]),
  fc.tuple(op('in', 'nin', 'between'), csvOf(intish)).map(([o, v]): KV => [`filter[score][${o}]`, v]),
  fc
    .tuple(op('gt', 'lte', 'in', 'between'), csvOf(fc.oneof(fc.double().map(String), intish)))
    .map(([o, v]): KV => [
      `filter[${o === 'in' ? 'level' : 'ratio'}][${o}]`,
      v.split(',').slice(0, 2).join(','),
    ]),
  fc.tuple(op('gt', 'lt', 'gte'), dateish).map(([o, v]): KV => [`filter[dueAt][${o}]`, v]),
  fc.tuple(dateish, dateish).map(([a, b]): KV => ['filter[dueAt][between]', `${a},${b}`]),
  fc
    .tuple(op('in', 'nin'), csvOf(fc.constantFrom('low', 'medium', 'high', 'urgent')))
    .map(([o, v]): KV => [`filter[category][${o}]`, v]),
  fc.tuple(op('eq', 'contains', 'in'), csvOf(words)).map(([o, v]): KV => [`filter[tags][${o}]`, v]),
  fc.tuple(op('isNull'), fc.constantFrom('true', 'false')).map(([o, v]): KV => [`filter[score][${o}]`, v]),
  words.map((v): KV => ['filter[owner.email][icontains]', v]),
  fc
    .uniqueArray(fc.constantFrom('name', 'rank', 'score', 'dueAt', 'category'), {
      minLength: 1,
      maxLength: 5,
    })
    .chain((keys) =>
      fc.tuple(...keys.map((k) => fc.constantFrom(k, `-${k}`))).map((ks): KV => ['sort', ks.join(',')]),
    ),
  fc.subarray(FIELDS.slice(0, 9), { minLength: 1 }).map((f): KV => ['fields', f.join(',')]),
  fc.integer({ min: 1, max: 100 }).map((n): KV => ['limit', String(n)]),
  fc.constantFrom('true', 'false').map((v): KV => ['count', v]),
);

/** How a piece travels: percent-encoded, raw (so `&`, `=`, `#`, `%` change the structure), or mixed. */
function encode(s: string, how: number): string {
  try {
    if (how === 0) return encodeURIComponent(s);
    if (how === 2) return [...s].map((c, i) => (i % 2 ? encodeURIComponent(c) : c)).join('');
  } catch {
    // a lone surrogate: send it raw
  }
  return s;
}

const param = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(plausible, fc.constant(0), fc.constant(false)) },
  { weight: 1, arbitrary: fc.tuple(fc.tuple(key, value), fc.nat(2), fc.boolean()) },
);

const queryString = fc
  .array(param, { minLength: 1, maxLength: 4 })
  .map((params) =>
    params
      .map(([[k, v], how, bare]) => (bare ? encode(k, how) : `${encode(k, how)}=${encode(v, how)}`))
      .join('&'),
  );

type Body = { data?: unknown; errors?: { field?: unknown; message?: unknown }[] };

/** What is wrong with a 200 / 400 answer, or null: a JSON page, a problem+json with errors[], or CSV. */
function faultOf(res: Response, raw: string): string | null {
  const type = res.headers.get('content-type') ?? '';
  if (res.status === 200 && type.startsWith('text/csv')) return null; // format=csv
  let body: Body;
  try {
    body = JSON.parse(raw) as Body;
  } catch {
    return 'the body is not JSON';
  }
  if (res.status === 200)
    return type.startsWith('application/json') && Array.isArray(body.data) ? null : 'not a JSON page';
  if (!type.startsWith('application/problem+json')) return `a 400 of type ${type}`;
  const errors = Array.isArray(body.errors) ? body.errors : [];
  if (errors.length === 0) return 'a 400 without errors[]';
  return errors.every((e) => typeof e.field === 'string' && typeof e.message === 'string')
    ? null
    : 'errors[] without field and message';
}

describe('shaped list: hostile query strings never make a 5xx', () => {
  let t: ItemsUnderTest;

  beforeAll(async () => {
    t = await startItemsApp('data_fuzz');
    await t.sql.query(
      `INSERT INTO items (${ITEM_COLUMNS})
       SELECT gen_random_uuid(), now(), now(), 1, 'item ' || i, i % 7, NULLIF(i % 5, 0),
              CASE WHEN i % 3 = 0 THEN NULL ELSE now() - i * interval '1 day' END,
              (enum_range(NULL::item_category))[1 + i % 4], ARRAY['t' || (i % 3)], 'body ' || i, NULL
       FROM generate_series(1, 60) AS i`,
    );
  });

  afterAll(() => t?.close());

  it('answers 200 or a 400 problem with errors[] for random query strings', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(queryString, async (qs) => {
        let url: string;
        try {
          url = new URL(`/items?${qs}`, t.baseUrl).toString();
        } catch {
          return; // not a URL a client could send
        }
        if (url.length > 8_000) return; // Node answers 431 before the app sees it
        const res = await fetch(url);
        const raw = await res.text();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect({ url, status: res.status, body: raw.slice(0, 300), fault: faultOf(res, raw) }).toMatchObject({
          status: expect.toBeOneOf([200, 400]),
          fault: null,
        });
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300), interruptAfterTimeLimit: 25_000 },
    );
    // The grammar reaches both outcomes, and the table is untouched.
    expect(statuses.get(400)).toBeGreaterThan(0);
    const { rows } = await t.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM items');
    expect(rows[0]!.n).toBe(60);
  }, 60_000);

  it.each([
    ['/items', 'limit', fc.oneof(fc.bigInt().map(String), fc.double().map(String), fc.string())],
    ['/items', 'filter[rank][between]', fc.tuple(fc.double(), fc.bigInt()).map(([a, b]) => `${a},${b}`)],
    [
      '/items',
      'filter[dueAt][gte]',
      fc.date({ noInvalidDate: false }).map((d) => (isNaN(+d) ? 'x' : d.toISOString())),
    ],
    ['/items', 'filter[ratio][gte]', fc.oneof(fc.double(), fc.float()).map(String)],
    ['/items', 'filter[level][lt]', fc.oneof(fc.double(), fc.bigInt()).map(String)],
    ['/items', 'filter[score][in]', fc.array(fc.integer(), { maxLength: 30 }).map((a) => a.join(','))],
    ['/items', 'after', fc.base64String({ maxLength: 60 }).map((s) => `${s}.${s.slice(0, 22)}`)],
    [
      '/search-items',
      'q',
      fc.oneof(words, fc.constantFrom('"', '-', 'or', '"a" -"b" or', '!(&|:*', ':* & !')),
    ],
  ])('%s %s: random values never make a 5xx', async (path, name, values) => {
    await fc.assert(
      fc.asyncProperty(values, async (v) => {
        const res = await fetch(`${t.baseUrl}${path}?${encodeURIComponent(name)}=${encodeURIComponent(v)}`);
        await res.arrayBuffer();
        expect({ query: `${name}=${v}`, status: res.status }).toMatchObject({
          status: expect.toBeOneOf([200, 400]),
        });
      }),
      { numRuns: 60, interruptAfterTimeLimit: 8_000 },
    );
  });
});
