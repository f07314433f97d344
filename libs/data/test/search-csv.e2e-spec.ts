import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ITEM_COLUMNS, startItemsApp, type ItemsUnderTest, type ListBody } from './fixtures/items.app.js';
import { parseCsv, StrictCsvParser } from './fixtures/strict-csv.js';

const TRICKY = 'Comma, "quoted"\nsecond line';

describe('shaped list: full-text search and CSV', () => {
  let t: ItemsUnderTest;
  let common: Set<string>;
  let trickyId: string;

  beforeAll(async () => {
    t = await startItemsApp('data_search_csv');
    await t.sql.query(
      `INSERT INTO items (name, body, rank, version) VALUES
         ('Quantum widget', 'A plain description', 1, 1),
         ('Plain widget', 'This one mentions quantum once', 2, 1),
         ('Unrelated thing', 'nothing to see', 3, 1)`,
    );
    // 150 rows: "common" in the name of every 5th, in the body of every 3rd (70 match).
    await t.sql.query(
      `INSERT INTO items (${ITEM_COLUMNS})
       SELECT gen_random_uuid(), now(), now(), 1,
              CASE WHEN i % 5 = 0 THEN 'common gadget ' ELSE 'gadget ' END || i, i % 10, NULL, NULL,
              (enum_range(NULL::item_category))[1 + i % 4], '{}',
              CASE WHEN i % 3 = 0 THEN 'some common words' ELSE 'other text' END, NULL
       FROM generate_series(1, 150) AS i`,
    );
    const { rows } = await t.sql.query<{ id: string }>(
      `SELECT id FROM items WHERE name LIKE '%common%' OR body LIKE '%common%'`,
    );
    common = new Set(rows.map((r) => r.id));
    if (common.size !== 70) throw new Error(`${common.size} rows say "common"`);
    const owner = await t.sql.query<{ id: string }>(
      `INSERT INTO owners (email, version) VALUES ('csv@acme.test', 1) RETURNING id`,
    );
    const tricky = await t.sql.query<{ id: string }>(
      `INSERT INTO items (name, body, rank, tags, "ownerId", version) VALUES ($1, 'x,y', 9, '{a,b}', $2, 1) RETURNING id`,
      [TRICKY, owner.rows[0]!.id],
    );
    trickyId = tricky.rows[0]!.id;
  });

  afterAll(() => t?.close());

  type Found = { id: string; name: string; rank: number };
  const search = async (query: string) => {
    const { res, body } = await t.get<ListBody<Found>>(`/search-items?${query}`);
    expect({ status: res.status, body }).toMatchObject({ status: 200 });
    return body;
  };

  /** Follows meta.nextCursor to the end; fails on a repeated row. */
  const walk = async (query: string): Promise<Found[]> => {
    const rows: Found[] = [];
    let body = await search(query);
    rows.push(...body.data);
    for (let pages = 1; body.meta.nextCursor !== null && pages < 100; pages++) {
      body = await search(`${query}&after=${body.meta.nextCursor}`);
      rows.push(...body.data);
    }
    expect(body.meta.nextCursor).toBeNull();
    expect(rows.length - new Set(rows.map((r) => r.id)).size).toBe(0); // no row twice
    return rows;
  };

  it.each(['quantum', 'QUANTUM', 'quantum widget'])(
    'q=%s ranks a name (A) match above a body-only (B) match',
    async (q) => {
      const { data } = await search(`q=${encodeURIComponent(q)}&fields=name`);
      expect(data.map((r) => r.name)).toEqual(['Quantum widget', 'Plain widget']);
    },
  );

  it('finds nothing for words no row has, and counts matches', async () => {
    expect((await search('q=nonexistentword')).data).toEqual([]);
    expect((await search('q=common&count=true&limit=1')).meta.total).toBe(70);
  });

  it('pages through every match with cursors, most relevant first', async () => {
    const rows = await walk('q=common&limit=7&fields=id,name');
    expect(new Set(rows.map((r) => r.id))).toEqual(common);
    const lastNameMatch = rows.findLastIndex((r) => r.name.includes('common'));
    const firstBodyOnly = rows.findIndex((r) => !r.name.includes('common'));
    expect(lastNameMatch).toBeLessThan(firstBodyOnly);

    const second = await search(
      `q=common&limit=7&fields=id,name&after=${(await search('q=common&limit=7')).meta.nextCursor}`,
    );
    const back = await search(`q=common&limit=7&fields=id,name&before=${second.meta.prevCursor}`);
    expect(back.data).toEqual(rows.slice(0, 7));
  });

  it('refuses a relevance cursor replayed with other search words', async () => {
    const cursor = (await search('q=common&limit=7')).meta.nextCursor;
    const { res, body } = await t.get<{ errors: { field: string; message: string }[] }>(
      `/search-items?q=quantum&limit=7&after=${cursor}`,
    );
    expect(res.status).toBe(400);
    expect(body.errors[0]).toMatchObject({ field: 'after', message: expect.stringMatching(/not issued/) });
  });

  it('combines search with a filter and an explicit sort', async () => {
    const rows = await walk('q=common&filter[rank][lt]=4&sort=-rank&limit=5&fields=id,name,rank');
    const { rows: expected } = await t.sql.query<{ id: string }>(
      `SELECT id FROM items WHERE (name LIKE '%common%' OR body LIKE '%common%') AND rank < 4`,
    );
    expect(rows.map((r) => r.id).sort()).toEqual(expected.map((r) => r.id).sort());
    const ranks = rows.map((r) => r.rank);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
  });

  it.each([['q='], ['q=%20%20'], [`q=${'a'.repeat(201)}`], ['q=x&sort=body']])(
    '%s → 400 problem',
    async (query) => {
      const { res } = await t.get(`/search-items?${query}`);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    },
  );

  const csv = async (path: string, init?: RequestInit) => {
    const res = await fetch(`${t.baseUrl}${path}`, init);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    return { res, records: parseCsv(await res.text()) };
  };

  it.each([
    ['format=csv', {}],
    ['', { headers: { accept: 'text/csv' } }],
  ])('CSV (%s %j): header of the selected fields, RFC 4180 quoting round-trips', async (format, init) => {
    const { res, records } = await csv(
      `/items?${format}&fields=id,name,body,tags,owner.email,score&filter[id]=${trickyId}`,
      init,
    );
    expect(res.headers.get('content-disposition')).toContain('items.csv');
    expect(records).toEqual([
      ['id', 'name', 'body', 'tags', 'owner.email', 'score'],
      [trickyId, TRICKY, 'x,y', 'a b', 'csv@acme.test', ''],
    ]);
  });

  it('CSV with the default fields; JSON when the client asks for JSON', async () => {
    const { records } = await csv(`/items?format=csv&filter[id]=${trickyId}`);
    expect(records[0]).toEqual([
      'id',
      'name',
      'rank',
      'score',
      'dueAt',
      'category',
      'tags',
      'body',
      'owner.email',
    ]);
    const json = await fetch(`${t.baseUrl}/items?filter[id]=${trickyId}`, {
      headers: { accept: 'application/json' },
    });
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('CSV of a search lists every match in the JSON order', async () => {
    const rows = await walk('q=common&limit=50&fields=id');
    const { records } = await csv('/search-items?q=common&format=csv&fields=id');
    expect(records.slice(1).map((r) => r[0])).toEqual(rows.map((r) => r.id));
  });
});

describe('shaped list: a 100,000-row CSV streams in bounded memory', () => {
  const ROWS = 100_000;
  let t: ItemsUnderTest;

  beforeAll(async () => {
    t = await startItemsApp('data_csv_stream');
    await t.sql.query(
      `INSERT INTO items (${ITEM_COLUMNS})
       SELECT gen_random_uuid(), now(), now(), 1, 'bulk item ' || i, i % 1000, NULLIF(i % 7, 0),
              timestamptz '2026-01-01T00:00:00Z' + i * interval '1 minute',
              (enum_range(NULL::item_category))[1 + i % 4], ARRAY['t' || (i % 3), 'x'],
              'row ' || i || CASE WHEN i % 1000 = 0 THEN E', with "quotes"\\nand a newline' ELSE '' END, NULL
       FROM generate_series(1, ${ROWS}) AS i`,
    );
    await t.sql.query('ANALYZE items');
  });

  afterAll(() => t?.close());

  it('streams every row while the server memory stays bounded', async () => {
    // A full collection before each heap sample, so the samples count live memory, not garbage.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    await csv0(`${t.baseUrl}/items?format=csv&limit=1&filter[rank]=1`); // warm up the code path
    gc();
    const before = process.memoryUsage();
    const peak = { rss: before.rss, liveHeap: before.heapUsed };
    const sample = (collect: boolean) => {
      if (collect) gc();
      const m = process.memoryUsage();
      peak.rss = Math.max(peak.rss, m.rss);
      if (collect) peak.liveHeap = Math.max(peak.liveHeap, m.heapUsed);
    };
    const timer = setInterval(() => sample(false), 20);
    try {
      const res = await fetch(`${t.baseUrl}/items`, { headers: { accept: 'text/csv' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      const parser = new StrictCsvParser();
      const decoder = new TextDecoder();
      const reader = res.body!.getReader();
      let chunks = 0;
      for (let r = await reader.read(); !r.done; r = await reader.read()) {
        parser.push(decoder.decode(r.value, { stream: true }));
        if (++chunks % 100 === 0) sample(true);
      }
      parser.push(decoder.decode());
      parser.end();
      expect(chunks).toBeGreaterThan(100); // it arrived in pieces, not as one buffered body
      expect(parser.count - 1).toBe(ROWS);
    } finally {
      clearInterval(timer);
    }
    // Holding the 100,000 rows (or the whole CSV) at once would take well over these.
    const growth = { rssMb: mb(peak.rss - before.rss), liveHeapMb: mb(peak.liveHeap - before.heapUsed) };
    expect(growth.rssMb).toBeLessThan(150);
    expect(growth.liveHeapMb).toBeLessThan(40);
  }, 60_000);
});

const mb = (n: number) => Math.round(n / 2 ** 20);

async function csv0(url: string): Promise<void> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  parseCsv(await res.text());
}
