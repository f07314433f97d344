import LinkHeader from 'http-link-header';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startItemsApp, type ItemsUnderTest, type ListBody, type ProblemBody } from './fixtures/items.app.js';

/** name, rank, score, dueAt, category, tags, owner */
const SEED: [string, number, number | null, string | null, string, string[], string | null][] = [
  ['apple', 1, 10, '2026-01-01T00:00:00Z', 'low', ['red', 'fruit'], 'ann@acme.test'],
  ['banana', 2, null, '2026-02-01T00:00:00Z', 'medium', ['yellow', 'fruit'], 'bob@example.com'],
  ['cherry', 3, 30, null, 'high', ['red'], 'ann@acme.test'],
  ['date', 4, 40, '2026-03-01T00:00:00Z', 'urgent', [], null],
  ['Elder', 5, null, null, 'low', ['green'], 'bob@example.com'],
  ['fig', 6, 60, '2026-04-01T00:00:00Z', 'medium', ['green', 'fruit'], null],
  ['50%_off', 7, 70, '2025-12-31T23:00:00Z', 'low', [], 'ann@acme.test'],
];
const ALL = SEED.map((s) => s[0]);
const but = (...names: string[]) => ALL.filter((n) => !names.includes(n));

const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);

const aProblemNaming = (field: string) => ({
  status: 400,
  contentType: expect.stringMatching(/^application\/problem\+json/),
  fields: expect.arrayContaining([field]),
});

describe('shaped list over HTTP: filters, fields, counts, links, cursors, bad input', () => {
  let t: ItemsUnderTest;
  const nameById = new Map<string, string>();

  beforeAll(async () => {
    t = await startItemsApp('data_list');
    const owners = new Map<string, string>();
    for (const email of ['ann@acme.test', 'bob@example.com']) {
      const { rows } = await t.sql.query<{ id: string }>(
        `INSERT INTO owners (email, version) VALUES ($1, 1) RETURNING id`,
        [email],
      );
      owners.set(email, rows[0]!.id);
    }
    for (const [name, rank, score, dueAt, category, tags, owner] of SEED) {
      const { rows } = await t.sql.query<{ id: string }>(
        `INSERT INTO items (name, rank, score, "dueAt", category, tags, body, "ownerId", version)
         VALUES ($1, $2, $3, $4, $5, $6, 'seed', $7, 1) RETURNING id`,
        [name, rank, score, dueAt, category, tags, owner ? owners.get(owner) : null],
      );
      nameById.set(rows[0]!.id, name);
    }
    await t.sql.query(`UPDATE items SET ratio = rank * 0.25, level = rank % 3`);
  });

  afterAll(() => t?.close());

  const names = async (query: string): Promise<string[]> => {
    const { res, body } = await t.get<ListBody<{ id: string }>>(`/items?fields=id&limit=100&${query}`);
    expect({ status: res.status, body }).toMatchObject({ status: 200 });
    return body.data.map((r) => nameById.get(r.id)!).sort();
  };

  it.each([
    ['filter[name]=apple', ['apple']],
    ['filter[name][eq]=apple', ['apple']],
    ['filter[name][ne]=apple', but('apple')],
    ['filter[name][in]=apple,fig,nope', ['apple', 'fig']],
    ['filter[name][nin]=apple,fig', but('apple', 'fig')],
    ['filter[name][contains]=an', ['banana']],
    ['filter[name][icontains]=EL', ['Elder']],
    ['filter[name][contains]=%25', ['50%_off']],
    ['filter[name][contains]=_', ['50%_off']],
    ['filter[name][startsWith]=ch', ['cherry']],
    ['filter[name][isNull]=false', ALL],
    ['filter[rank][gt]=5', ['50%_off', 'fig']],
    ['filter[rank][gte]=6', ['50%_off', 'fig']],
    ['filter[rank][lt]=2', ['apple']],
    ['filter[rank][lte]=2', ['apple', 'banana']],
    ['filter[rank][between]=2,4', ['banana', 'cherry', 'date']],
    ['filter[rank][in]=1,3,99', ['apple', 'cherry']],
    ['filter[rank][nin]=1,2,3,4,5', ['50%_off', 'fig']],
    ['filter[rank][gt]=1&filter[rank][lt]=4', ['banana', 'cherry']],
    ['filter[score][ne]=10', but('apple')], // nulls differ from 10 too
    ['filter[score][nin]=10,30', but('apple', 'cherry')], // as ne: nulls are none of the list
    ['filter[score][lt]=35', ['apple', 'cherry']],
    ['filter[score][isNull]=true', ['Elder', 'banana']],
    ['filter[score][isNull]=false', but('Elder', 'banana')],
    ['filter[dueAt][gte]=2026-02-01T00:00:00Z', ['banana', 'date', 'fig']],
    ['filter[dueAt][lt]=2026-01-01T00:00:00%2B00:00', ['50%_off']],
    ['filter[dueAt][between]=2026-01-15,2026-03-15', ['banana', 'date']],
    ['filter[dueAt][isNull]=true', ['Elder', 'cherry']],
    ['filter[category]=low', ['50%_off', 'Elder', 'apple']],
    ['filter[category][ne]=low', but('50%_off', 'Elder', 'apple')],
    ['filter[category][in]=medium,urgent', ['banana', 'date', 'fig']],
    ['filter[category][nin]=low,medium', ['cherry', 'date']],
    ['filter[tags]=red', ['apple', 'cherry']],
    ['filter[tags][contains]=red,fruit', ['apple']],
    ['filter[tags][in]=yellow,green', ['Elder', 'banana', 'fig']],
    ['filter[owner.email]=ann@acme.test', ['50%_off', 'apple', 'cherry']],
    ['filter[owner.email][icontains]=EXAMPLE', ['Elder', 'banana']],
    ['filter[owner.email][isNull]=true', ['date', 'fig']],
    ['filter[category]=low&filter[rank][gte]=5', ['50%_off', 'Elder']],
    ['filter[ratio][gt]=1', ['50%_off', 'Elder', 'fig']],
    ['filter[ratio][between]=0.5,7.5e-1', ['banana', 'cherry']],
    ['filter[ratio][gte]=1e-40', ALL], // a float4 subnormal
    ['filter[level]=0', ['cherry', 'fig']],
  ])('%s', async (query, expected) => {
    expect(await names(query)).toEqual([...expected].sort());
  });

  it('filters by id', async () => {
    const [id] = [...nameById].find(([, n]) => n === 'cherry')!;
    expect(await names(`filter[id]=${id.toUpperCase()}`)).toEqual(['cherry']);
  });

  const byOwner = async (cursor = '') =>
    (await t.get<ListBody<{ name: string }>>(`/items?sort=owner.email,-rank&limit=2&fields=name${cursor}`))
      .body;

  it('sorts by a relation column (nulls last) and pages through it both ways', async () => {
    const pages = [await byOwner()];
    while (pages.at(-1)!.meta.nextCursor && pages.length < 10)
      pages.push(await byOwner(`&after=${pages.at(-1)!.meta.nextCursor}`));
    const order = ['50%_off', 'cherry', 'apple', 'Elder', 'banana', 'fig', 'date'];
    expect(pages.flatMap((p) => p.data.map((r) => r.name))).toEqual(order);
    const back = [pages.at(-1)!];
    while (back[0]!.meta.prevCursor && back.length < 10)
      back.unshift(await byOwner(`&before=${back[0]!.meta.prevCursor}`));
    expect(back.flatMap((p) => p.data.map((r) => r.name))).toEqual(order);
  });

  it('selects exactly the requested fields, relations nested', async () => {
    const { body } = await t.get(`/items?fields=name,owner.email&sort=rank&limit=4`);
    expect(body.data).toEqual([
      { name: 'apple', owner: { email: 'ann@acme.test' } },
      { name: 'banana', owner: { email: 'bob@example.com' } },
      { name: 'cherry', owner: { email: 'ann@acme.test' } },
      { name: 'date', owner: null },
    ]);
    const all = await t.get(`/items?limit=1`);
    expect(Object.keys(all.body.data[0]!).sort()).toEqual(
      ['body', 'category', 'dueAt', 'id', 'name', 'owner', 'rank', 'score', 'tags'].sort(),
    );
    expect(all.body.data[0]).toMatchObject({ name: '50%_off', tags: [], dueAt: '2025-12-31T23:00:00.000Z' });
  });

  it('counts on request: meta.total and X-Total-Count', async () => {
    const { res, body } = await t.get(`/items?filter[category]=low&count=true&limit=1`);
    expect(body.meta.total).toBe(3);
    expect(res.headers.get('x-total-count')).toBe('3');
    const plain = await t.get(`/items?filter[category]=low&limit=1`);
    expect(plain.body.meta).not.toHaveProperty('total');
    expect(plain.res.headers.get('x-total-count')).toBeNull();
  });

  it('links first, next and prev with the other parameters kept, and following them works', async () => {
    const query = 'filter[category][in]=low,medium&sort=rank&fields=id,name&limit=2&count=true';
    const first = await t.get(`/items?${query}`);
    const links1 = LinkHeader.parse(first.res.headers.get('link')!);
    expect(links1.rel('prev')).toEqual([]);
    const next = new URL(links1.rel('next')[0]!.uri, t.baseUrl);
    expect(new URL(links1.rel('first')[0]!.uri, t.baseUrl).pathname).toBe('/items');
    const kept = ['filter[category][in]', 'sort', 'fields', 'limit', 'count'];
    expect(kept.map((key) => next.searchParams.get(key))).toEqual(
      kept.map((key) => new URLSearchParams(query).get(key)),
    );
    expect(next.searchParams.get('after')).toBe(first.body.meta.nextCursor);

    const second = await t.get(next.pathname + next.search);
    expect(second.body.data.map((r) => r.name)).toEqual(['Elder', 'fig']);
    const links2 = LinkHeader.parse(second.res.headers.get('link')!);
    expect(links2.rel('first')[0]!.uri).not.toContain('after=');
    const prev = await t.get(links2.rel('prev')[0]!.uri);
    expect(prev.body.data).toEqual(first.body.data);
    const third = await t.get(links2.rel('next')[0]!.uri);
    expect(third.body.data.map((r) => r.name)).toEqual(['50%_off']);
    expect(LinkHeader.parse(third.res.headers.get('link')!).rel('next')).toEqual([]);
    expect(third.body.meta.nextCursor).toBeNull();
  });

  it('pages by offset where the shape allows it', async () => {
    const { res, body } = await t.get(`/paged-items?page=2&limit=2&count=true`);
    expect(res.status).toBe(200);
    expect(body.data.map((r) => r.name)).toEqual(['cherry', 'date']);
    expect(body.meta).toMatchObject({ page: 2, total: 7 });
    const links = LinkHeader.parse(res.headers.get('link')!);
    const pageOf = (rel: string) => new URL(links.rel(rel)[0]!.uri, t.baseUrl).searchParams;
    expect(
      ['first', 'prev', 'next'].map((rel) => [pageOf(rel).get('page'), pageOf(rel).get('limit')]),
    ).toEqual([
      ['1', '2'],
      ['1', '2'],
      ['3', '2'],
    ]);
    const last = await t.get(`/paged-items?page=4&limit=2`);
    expect(last.body.data.map((r) => r.name)).toEqual(['50%_off']);
    expect(LinkHeader.parse(last.res.headers.get('link')!).rel('next')).toEqual([]);
  });

  /** The 400 problem+json of a request, with the parameters its errors[] name. */
  const problemOf = async (path: string) => {
    const { res, body } = await t.get<ProblemBody>(path);
    return {
      status: res.status,
      contentType: res.headers.get('content-type'),
      fields: body.errors?.map((e) => e.field) ?? [],
      body,
    };
  };

  it('refuses a tampered cursor, a cursor of another shape and a cursor replayed with another sort', async () => {
    const { body } = await t.get(`/items?sort=rank&limit=2`);
    const cursor = body.meta.nextCursor!;
    const [payload, signature] = cursor.split('.') as [string, string];
    const values = JSON.parse(Buffer.from(payload, 'base64url').toString()) as unknown[];
    const forged = Buffer.from(JSON.stringify([99, values[1]])).toString('base64url');
    const refused: [string, string][] = [
      [`/items?sort=rank&limit=2&after=${forged}.${signature}`, 'after'],
      [`/items?sort=rank&limit=2&after=${payload}.${flip(signature)}`, 'after'],
      [`/items?sort=rank&limit=2&before=${payload.slice(1)}.${signature}`, 'before'],
      [`/paged-items?sort=rank&limit=2&after=${cursor}`, 'after'], // same sort spec, another resource
      [`/items?sort=-rank&limit=2&after=${cursor}`, 'after'],
      [`/items?sort=rank,name&limit=2&before=${cursor}`, 'before'],
      [`/items?limit=2&after=${cursor}`, 'after'], // the default sort is -rank
    ];
    for (const [path, field] of refused) expect(await problemOf(path)).toMatchObject(aProblemNaming(field));
    expect((await t.get(`/items?sort=rank&limit=2&after=${cursor}`)).res.status).toBe(200);
  });

  const manyParams = Array.from({ length: 65 }, (_, i) => `p${i}=1`).join('&');
  it.each([
    ['filter[nope]=1', 'filter[nope]'],
    ['filter[body]=x', 'filter[body]'],
    ['fields=id,nope', 'fields'],
    ['unknown=1', 'unknown'],
    ['filter[category][gt]=low', 'filter[category][gt]'],
    ['filter[rank][contains]=1', 'filter[rank][contains]'],
    ['filter[rank][gt]=abc', 'filter[rank][gt]'],
    ['filter[rank][gt]=99999999999', 'filter[rank][gt]'],
    ['filter[rank][between]=1', 'filter[rank][between]'],
    ['filter[rank][in]=1,,2', 'filter[rank][in]'],
    ['filter[score][isNull]=maybe', 'filter[score][isNull]'],
    ['filter[dueAt][gt]=2026-02-30', 'filter[dueAt][gt]'],
    ['filter[dueAt][gt]=yesterday', 'filter[dueAt][gt]'],
    ['filter[category]=nope', 'filter[category]'],
    ['filter[id]=not-a-uuid', 'filter[id]'],
    ['filter[ratio][gt]=1e39', 'filter[ratio][gt]'], // beyond float4
    ['filter[ratio][lt]=1e-50', 'filter[ratio][lt]'], // below float4's smallest subnormal
    ['filter[level][gt]=1.5', 'filter[level][gt]'], // an integer column
    ['filter[level][in]=1,2e3', 'filter[level][in]'],
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=-1', 'limit'],
    ['limit=1.5', 'limit'],
    ['sort=body', 'sort'],
    ['sort=tags', 'sort'],
    ['sort=rank,-rank', 'sort'],
    ['count=yes', 'count'],
    ['format=xml', 'format'],
    ['page=2', 'page'],
    ['q=apple', 'q'],
    ['filter[a][b][c]=1', 'filter[a][b][c]'],
    ['filter=1', 'filter'],
    ['filter[name]=a&filter[name]=b', 'filter[name]'],
    ['sort=rank&sort=name', 'sort'],
    [`filter[rank][in]=${Array.from({ length: 21 }, (_, i) => i).join(',')}`, 'filter[rank][in]'],
    ['after=abc', 'after'],
    ['after=a.b&before=a.b', 'before'],
    [manyParams, 'query'],
  ])('GET /items?%s → 400 naming %s', async (query, field) => {
    expect(await problemOf(`/items?${query}`)).toMatchObject(aProblemNaming(field));
  });

  it('reports every problem of a request at once', async () => {
    const problem = await problemOf('/items?limit=0&sort=body&filter[rank][gt]=x');
    expect(problem).toMatchObject(aProblemNaming('limit'));
    expect(problem.fields.sort()).toEqual(['filter[rank][gt]', 'limit', 'sort']);
    expect(problem.body.errors.find((e) => e.field === 'sort')!.message).toContain('name, rank, score');
  });

  it.each([
    "filter[name]='; DROP TABLE items;--",
    "filter[name][contains]='); DELETE FROM items; --",
    'filter[owner.email][startsWith]=" OR 1=1 --',
    'filter[tags][contains]=a\'},{"b',
    'filter[name][in]=$1,:kf0,%3Akc0_0',
  ])('binds SQL metacharacters as values: %s', async (query) => {
    const { res, body } = await t.get(`/items?${query.replace(/ /g, '%20').replace(/;/g, '%3B')}`);
    expect({ status: res.status, data: body.data }).toEqual({ status: 200, data: [] });
    const { rows } = await t.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM items`);
    expect(rows[0]!.n).toBe(SEED.length);
  });

  it('documents the parameters in OpenAPI', async () => {
    const { body } = await t.get<{ paths: Record<string, { get: { parameters: { name: string }[] } }> }>(
      '/docs/json',
    );
    const params = body.paths['/items']!.get.parameters.map((p) => p.name);
    expect(params).toEqual(
      expect.arrayContaining([
        'filter[rank][gt]',
        'filter[owner.email][icontains]',
        'sort',
        'fields',
        'limit',
      ]),
    );
    expect(params).toEqual(expect.arrayContaining(['after', 'before', 'count', 'format']));
    expect(params).not.toContain('page');
    expect(body.paths['/paged-items']!.get.parameters.map((p) => p.name)).toContain('page');
  });
});
