import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startDemo, type DemoUnderTest } from './support.js';

const REDIS_URL = process.env.KWIK_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The `r=` (remaining) of a RateLimit header. */
const remaining = (res: Response) => Number(/;r=(\d+)/.exec(res.headers.get('ratelimit') ?? '')?.[1]);

interface Page {
  data: { id: string; title: string }[];
}

describe('demo: cached posts (two instances sharing Redis)', () => {
  let a: DemoUnderTest;
  let b: DemoUnderTest;
  let editor: string;

  beforeAll(async () => {
    // Two instances of one deployment: the same database and the same Redis.
    a = await startDemo('shared', { env: { REDIS_URL } });
    b = await startDemo('shared', { env: { REDIS_URL }, databaseUrl: a.databaseUrl });
    editor = await login(a.baseUrl, 'editor@acme.test');
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('answers the second read of GET /api/posts from the cache, on either instance', async () => {
    const first = await a.fetch(`${a.baseUrl}/api/posts?limit=5`);
    const body = await first.text();
    expect(first.status).toBe(200);
    expect(first.headers.get('x-cache')).toBe('MISS');
    const onA = await a.fetch(`${a.baseUrl}/api/posts?limit=5`);
    const onB = await b.fetch(`${b.baseUrl}/api/posts?limit=5`);
    expect(onA.headers.get('x-cache')).toBe('HIT');
    expect(await onA.text()).toBe(body);
    // B signs its requests as the same admin, so its key is A's: shared through Redis.
    expect(onB.headers.get('x-cache')).toBe('HIT');
    expect(await onB.text()).toBe(body);
    expect(onB.headers.get('link')).toBe(first.headers.get('link'));
  });

  it('answers GET /api/posts/:id from the cache with its ETag, and If-None-Match with 304', async () => {
    const page = (await (await a.fetch(`${a.baseUrl}/api/posts?limit=1`)).json()) as Page;
    const id = page.data[0]!.id;
    const first = await a.fetch(`${a.baseUrl}/api/posts/${id}`);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"\d+\.v1"$/); // the default version's (v1) representation
    const hit = await a.fetch(`${a.baseUrl}/api/posts/${id}`);
    expect(hit.headers.get('x-cache')).toBe('HIT');
    expect(hit.headers.get('etag')).toBe(etag);
    const notModified = await a.fetch(`${a.baseUrl}/api/posts/${id}`, { headers: { 'if-none-match': etag } });
    expect(notModified.status).toBe(304);
  });

  it("sends this request's own RateLimit headers on a hit, not the stored ones", async () => {
    const first = await a.fetch(`${a.baseUrl}/api/posts?limit=2`);
    const hit = await a.fetch(`${a.baseUrl}/api/posts?limit=2`);
    const again = await a.fetch(`${a.baseUrl}/api/posts?limit=2`);
    expect(hit.headers.get('x-cache')).toBe('HIT');
    expect(again.headers.get('x-cache')).toBe('HIT');
    expect(remaining(hit)).toBeLessThan(remaining(first));
    expect(remaining(again)).toBeLessThan(remaining(hit));
  });

  it('keeps users apart: another user of the tenant gets their own entry', async () => {
    await a.fetch(`${a.baseUrl}/api/posts?limit=3`);
    const asEditor = await fetch(`${a.baseUrl}/api/posts?limit=3`, {
      headers: { authorization: `Bearer ${editor}` },
    });
    expect(asEditor.status).toBe(200);
    expect(asEditor.headers.get('x-cache')).toBe('MISS');
  });

  it('keeps tenants apart: globex never sees acme entries', async () => {
    const globex = await login(a.baseUrl, 'admin@globex.test');
    const acme = (await (await a.fetch(`${a.baseUrl}/api/posts?limit=5`)).json()) as Page;
    const res = await fetch(`${a.baseUrl}/api/posts?limit=5`, {
      headers: { authorization: `Bearer ${globex}` },
    });
    const theirs = (await res.json()) as Page;
    expect(theirs.data.map((p) => p.id)).not.toEqual(expect.arrayContaining(acme.data.map((p) => p.id)));
  });

  it('never serves a cached body to a caller without a valid token', async () => {
    await a.fetch(`${a.baseUrl}/api/posts?limit=5`);
    const anonymous = await fetch(`${a.baseUrl}/api/posts?limit=5`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toContain('application/problem+json');
  });

  it('evicts on a write made on the other instance', async () => {
    const before = (await (await a.fetch(`${a.baseUrl}/api/posts?limit=1`)).json()) as Page;
    const target = before.data[0]!;
    expect((await a.fetch(`${a.baseUrl}/api/posts?limit=1`)).headers.get('x-cache')).toBe('HIT');
    const patch = await b.fetch(`${b.baseUrl}/api/posts/${target.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Renamed through instance B' }),
    });
    expect(patch.status).toBe(200);
    const after = await a.fetch(`${a.baseUrl}/api/posts?limit=1`);
    expect(after.headers.get('x-cache')).toBe('MISS');
    expect(((await after.json()) as Page).data[0]!.title).toBe('Renamed through instance B');
    const item = await a.fetch(`${a.baseUrl}/api/posts/${target.id}`);
    expect(((await item.json()) as { title: string }).title).toBe('Renamed through instance B');
  });
});

describe('demo: KWIK_CACHE=false', () => {
  let demo: DemoUnderTest;

  beforeAll(async () => {
    demo = await startDemo('shared', { env: { KWIK_CACHE: 'false' } });
  });
  afterAll(() => demo?.close());

  it('answers every read of the cached routes from the handler', async () => {
    const reads = [];
    for (let i = 0; i < 3; i++) reads.push(await demo.fetch(`${demo.baseUrl}/api/posts?limit=2`));
    expect(reads.map((res) => res.status)).toEqual([200, 200, 200]);
    expect(reads.map((res) => res.headers.get('x-cache'))).toEqual(['BYPASS', 'BYPASS', 'BYPASS']);
    const page = (await reads[0]!.json()) as Page;
    const item = await demo.fetch(`${demo.baseUrl}/api/posts/${page.data[0]!.id}`);
    expect(item.status).toBe(200);
    expect(item.headers.get('x-cache')).toBe('BYPASS');
  });
});
