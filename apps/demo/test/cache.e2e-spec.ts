import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestClient } from '@kwik/testing';
import { DEMO_USERS, startDemo, type DemoUnderTest } from './support.js';

const REDIS_URL = process.env.KWIK_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The `r=` (remaining) of a RateLimit header. */
const remaining = (res: { headers: Headers }) =>
  Number(/;r=(\d+)/.exec(res.headers.get('ratelimit') ?? '')?.[1]);

interface Page {
  data: { id: string; title: string }[];
}

const { admin, editor } = DEMO_USERS.acme;
const globexAdmin = DEMO_USERS.globex.admin;

describe('demo: cached posts (two instances sharing Redis)', () => {
  let a: DemoUnderTest;
  let b: DemoUnderTest;
  /** admin@acme.test in acme, on instance A and on instance B. */
  let onA: TestClient;
  let onB: TestClient;

  beforeAll(async () => {
    // Two instances of one deployment: the same database and the same Redis. Every JSON response
    // is checked against the demo's OpenAPI document (of its api-version).
    a = await startDemo('shared', { env: { REDIS_URL }, client: { validateResponses: true } });
    b = await startDemo('shared', {
      env: { REDIS_URL },
      databaseUrl: a.databaseUrl,
      client: { validateResponses: true },
    });
    onA = a.client.asTenant('acme').as(admin);
    onB = b.client.asTenant('acme').as(admin);
    await a.client.token(editor);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('answers the second read of GET /api/posts from the cache, on either instance', async () => {
    const first = (await onA.get('/api/posts?limit=5')).expectStatus(200);
    const body = first.text;
    expect(first.headers.get('x-cache')).toBe('MISS');
    const hitA = await onA.get('/api/posts?limit=5');
    const hitB = await onB.get('/api/posts?limit=5');
    expect(hitA.headers.get('x-cache')).toBe('HIT');
    expect(hitA.text).toBe(body);
    // B signs its requests as the same admin, so its key is A's: shared through Redis.
    expect(hitB.headers.get('x-cache')).toBe('HIT');
    expect(hitB.text).toBe(body);
    expect(hitB.headers.get('link')).toBe(first.headers.get('link'));
  });

  it('answers GET /api/posts/:id from the cache with its ETag, and If-None-Match with 304', async () => {
    const page = (await onA.get<Page>('/api/posts?limit=1')).expectStatus(200).body;
    const id = page.data[0]!.id;
    const first = await onA.get(`/api/posts/${id}`);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"\d+\.v1"$/); // the default version's (v1) representation
    const hit = await onA.get(`/api/posts/${id}`);
    expect(hit.headers.get('x-cache')).toBe('HIT');
    expect(hit.headers.get('etag')).toBe(etag);
    (await onA.get(`/api/posts/${id}`, { headers: { 'if-none-match': etag } })).expectStatus(304);
  });

  it("sends this request's own RateLimit headers on a hit, not the stored ones", async () => {
    const first = await onA.get('/api/posts?limit=2');
    const hit = await onA.get('/api/posts?limit=2');
    const again = await onA.get('/api/posts?limit=2');
    expect(hit.headers.get('x-cache')).toBe('HIT');
    expect(again.headers.get('x-cache')).toBe('HIT');
    expect(remaining(hit)).toBeLessThan(remaining(first));
    expect(remaining(again)).toBeLessThan(remaining(hit));
  });

  it('keeps users apart: another user of the tenant gets their own entry', async () => {
    await onA.get('/api/posts?limit=3');
    const asEditor = (await a.client.getAs(editor, '/api/posts?limit=3')).expectStatus(200);
    expect(asEditor.headers.get('x-cache')).toBe('MISS');
  });

  it('keeps tenants apart: globex never sees acme entries', async () => {
    const acme = (await onA.get<Page>('/api/posts?limit=5')).expectStatus(200).body;
    const theirs = (await a.client.getAs<Page>(globexAdmin, '/api/posts?limit=5')).expectStatus(200).body;
    expect(theirs.data.map((p) => p.id)).not.toEqual(expect.arrayContaining(acme.data.map((p) => p.id)));
  });

  it('never serves a cached body to a caller without a valid token', async () => {
    await onA.get('/api/posts?limit=5');
    (await a.client.get('/api/posts?limit=5')).expectProblem(401);
  });

  it('evicts on a write made on the other instance', async () => {
    const before = (await onA.get<Page>('/api/posts?limit=1')).expectStatus(200).body;
    const target = before.data[0]!;
    expect((await onA.get('/api/posts?limit=1')).headers.get('x-cache')).toBe('HIT');
    (await onB.patch(`/api/posts/${target.id}`, { title: 'Renamed through instance B' })).expectStatus(200);
    const after = await onA.get<Page>('/api/posts?limit=1');
    expect(after.headers.get('x-cache')).toBe('MISS');
    expect(after.body.data[0]!.title).toBe('Renamed through instance B');
    const item = await onA.get<{ title: string }>(`/api/posts/${target.id}`);
    expect(item.body.title).toBe('Renamed through instance B');
  });
});

describe('demo: KWIK_CACHE=false', () => {
  let demo: DemoUnderTest;
  let api: TestClient;

  beforeAll(async () => {
    demo = await startDemo('shared', { env: { KWIK_CACHE: 'false' }, client: { validateResponses: true } });
    api = demo.client.asTenant('acme').as(admin);
  });
  afterAll(() => demo?.close());

  it('answers every read of the cached routes from the handler', async () => {
    const reads = [];
    for (let i = 0; i < 3; i++) reads.push(await api.get<Page>('/api/posts?limit=2'));
    expect(reads.map((res) => res.status)).toEqual([200, 200, 200]);
    expect(reads.map((res) => res.headers.get('x-cache'))).toEqual(['BYPASS', 'BYPASS', 'BYPASS']);
    const page = reads[0]!.body;
    const item = (await api.get(`/api/posts/${page.data[0]!.id}`)).expectStatus(200);
    expect(item.headers.get('x-cache')).toBe('BYPASS');
  });
});
