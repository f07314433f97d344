import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ITEM_CATEGORIES } from './fixtures/items.entities.js';
import { ITEM_COLUMNS, startItemsApp, type ItemsUnderTest, type ListBody } from './fixtures/items.app.js';

interface Row {
  id: string;
  name: string;
  rank: number;
  score: number | null;
  dueAt: string | null;
  category: string;
}

const ORIGINALS = 10_000;
const LIMIT = 100;
const MAX_PAGES = 250;
const FIELDS = 'id,name,rank,score,dueAt,category';

/**
 * Values of row i: few distinct values (ties everywhere),  a third of the scores and a fifth of
 * the due dates NULL (independently of the category), whole hours (so JavaScript's millisecond dates compare like PostgreSQL).
 */
const VALUES = (i: string) => `
  gen_random_uuid(), now(), now(), 1,
  'n' || lpad((${i} % 700)::text, 4, '0'),
  ${i} % 50,
  CASE WHEN ${i} % 3 = 0 THEN NULL ELSE (${i} * 7) % 40 END,
  CASE WHEN ${i} % 5 = 0 THEN NULL
       ELSE timestamptz '2026-01-01T00:00:00Z' + ((${i} * 13) % 300) * interval '1 hour' END,
  (enum_range(NULL::item_category))[1 + (${i} / 3) % 4],
  ARRAY['t' || (${i} % 5)],`;

/**
 * Another client between two pages: deletes the row the next cursor points at (when it is a churn
 * row) and 2 random churn rows, inserts a twin of that row (same sort values, new id: a tie at the
 * cursor's position) and 4 rows anywhere in the order.
 */
const CHURN = `
  WITH gone AS (
    DELETE FROM items WHERE body = 'churn'
      AND (id = $1 OR id IN (SELECT id FROM items WHERE body = 'churn' ORDER BY random() LIMIT 2))
  ), twin AS (
    INSERT INTO items (${ITEM_COLUMNS})
    SELECT gen_random_uuid(), now(), now(), 1, name, rank, score, "dueAt", category, tags, 'churn', NULL
    FROM items WHERE id = $1
  )
  INSERT INTO items (${ITEM_COLUMNS})
  SELECT ${VALUES('s.i')} 'churn', NULL
  FROM (SELECT (random() * 100000)::int AS i FROM generate_series(1, 4)) AS s`;

type Key = { field: keyof Row; descending: boolean };

function keysOf(sort: string | undefined): Key[] {
  const keys = (sort ?? '-rank').split(',').map((token) => ({
    field: token.replace(/^-/, '') as keyof Row,
    descending: token.startsWith('-'),
  }));
  return [...keys, { field: 'id', descending: keys.at(-1)!.descending }];
}

function compareValues(field: keyof Row, a: unknown, b: unknown): number {
  if (field === 'category') return ITEM_CATEGORIES.indexOf(a as never) - ITEM_CATEGORIES.indexOf(b as never);
  if (field === 'dueAt') return Date.parse(a as string) - Date.parse(b as string);
  if (typeof a === 'number') return a - (b as number);
  return a === b ? 0 : (a as string) < (b as string) ? -1 : 1; // names n0000..n0699, lowercase uuids
}

/** The list order: each key in its direction, nulls last in both directions. */
function compareRows(keys: Key[], a: Row, b: Row): number {
  for (const { field, descending } of keys) {
    const [x, y] = [a[field], b[field]];
    if (x === null && y === null) continue;
    if (x === null) return 1;
    if (y === null) return -1;
    const c = compareValues(field, x, y);
    if (c !== 0) return descending ? -c : c;
  }
  return 0;
}

describe('shaped list: keyset walks over 10,000 rows under concurrent writes', () => {
  let t: ItemsUnderTest;
  let originals: Set<string>;

  beforeAll(async () => {
    t = await startItemsApp('data_cursor_walk');
    await t.sql.query(
      `INSERT INTO items (${ITEM_COLUMNS}) SELECT ${VALUES('i')} 'original', NULL FROM generate_series(1, ${ORIGINALS}) AS i`,
    );
    await t.sql.query('ANALYZE items');
    const { rows } = await t.sql.query<{ id: string }>(`SELECT id FROM items WHERE body = 'original'`);
    originals = new Set(rows.map((r) => r.id));
    if (originals.size !== ORIGINALS) throw new Error(`seeded ${originals.size} rows`);
  });

  afterAll(() => t?.close());

  const page = async (query: string): Promise<ListBody<Row>> => {
    const { res, body } = await t.get<ListBody<Row>>(`/items?${query}`);
    expect({ status: res.status, body }).toMatchObject({ status: 200 });
    expect(body.data.length).toBeLessThanOrEqual(LIMIT);
    return body;
  };

  /** Asserts every original row exactly once, no row twice, and the whole walk in list order. */
  function checkWalk(rows: Row[], keys: Key[]): void {
    const seen = new Map<string, number>();
    for (const row of rows) seen.set(row.id, (seen.get(row.id) ?? 0) + 1);
    const duplicates = [...seen].filter(([, n]) => n > 1).map(([id]) => id);
    expect(duplicates).toEqual([]);
    const missing = [...originals].filter((id) => !seen.has(id));
    expect(missing).toEqual([]);
    const i = rows.findIndex((row, j) => j > 0 && compareRows(keys, rows[j - 1]!, row) >= 0);
    expect(i === -1 ? 'in order' : { outOfOrder: i, rows: rows.slice(i - 1, i + 1) }).toBe('in order');
  }

  it.each([
    ['default (-rank)', undefined],
    ['-dueAt (nullable, descending)', '-dueAt'],
    ['score (nullable, ascending)', 'score'],
    ['-score,name (mixed directions)', '-score,name'],
    ['category,-dueAt (enum order, then nullable descending)', 'category,-dueAt'],
  ])('sort %s: forward with after, then backward with before', async (_label, sort) => {
    const keys = keysOf(sort);
    const base = `limit=${LIMIT}&fields=${FIELDS}${sort ? `&sort=${sort}` : ''}`;

    // Forward from the first page, following meta.nextCursor.
    let current = await page(base);
    expect(current.meta.prevCursor).toBeNull();
    const forward: Row[] = [...current.data];
    let pages = 1;
    while (current.meta.nextCursor !== null && pages < MAX_PAGES) {
      await t.sql.query(CHURN, [current.data.at(-1)!.id]);
      current = await page(`${base}&after=${current.meta.nextCursor}`);
      forward.push(...current.data);
      pages++;
    }
    expect(current.meta.nextCursor).toBeNull(); // the forward walk ended
    expect(pages).toBeGreaterThanOrEqual(ORIGINALS / LIMIT);
    checkWalk(forward, keys);
    expect(forward.length).toBeGreaterThan(ORIGINALS); // rows inserted ahead of the cursor are listed too

    // Backward from the last page, following meta.prevCursor; pages are prepended.
    const backward: Row[][] = [current.data];
    pages = 1;
    while (current.meta.prevCursor !== null && pages < MAX_PAGES) {
      await t.sql.query(CHURN, [current.data[0]!.id]);
      current = await page(`${base}&before=${current.meta.prevCursor}`);
      expect(current.data.length).toBeGreaterThan(0);
      backward.unshift(current.data);
      pages++;
    }
    expect(current.meta.prevCursor).toBeNull(); // the backward walk reached the first page
    checkWalk(backward.flat(), keys);
  });

  it('never deleted an original row', async () => {
    const { rows } = await t.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM items WHERE body = 'original'`,
    );
    expect(rows[0]!.n).toBe(ORIGINALS);
  });
});
