import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestContext } from '@kwik/core';
import { SqlObserver } from '@kwik/database';
import { CacheService, CacheStats, queryCacheIdentifier, type CacheModuleOptions } from '@kwik/cache';
import { createTestDatabase, type TestDatabase } from '../../../test/support/postgres.js';
import { bootQueryCacheApp, PostsReader, TENANT_SCHEMAS_SQL } from './fixtures/query-cache-app.js';

const REDIS_URL = process.env.KWIK_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe.each<[string, () => CacheModuleOptions]>([
  ['memory', () => ({ store: 'memory' })],
  [
    'redis',
    () => ({
      store: 'redis',
      redis: { url: REDIS_URL, keyPrefix: `kwik:test:${randomBytes(6).toString('hex')}:` },
    }),
  ],
])('TypeORM query results in the Kwik cache (%s store)', (_, options) => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let posts: PostsReader;
  let context: RequestContext;
  let statements = 0;

  beforeAll(async () => {
    db = await createTestDatabase('query_cache');
    const admin = new Client({ connectionString: db.url });
    await admin.connect();
    await admin.query(TENANT_SCHEMAS_SQL);
    await admin.end();
    app = await bootQueryCacheApp(db.url, options());
    posts = app.get(PostsReader);
    context = app.get(RequestContext);
    app.get(SqlObserver).subscribe((event) => {
      if (event.sql.includes('qc_posts')) statements++;
    });
  });
  afterAll(async () => {
    await app?.get(CacheService).clear();
    await app?.close();
    await db?.drop();
  });

  /** Runs `fn` for `tenant` and counts the statements on `qc_posts` it sent. */
  async function counted<T>(
    tenant: string | undefined,
    fn: () => Promise<T>,
  ): Promise<{ value: T; queries: number }> {
    const before = statements;
    const value = await (tenant ? context.run({ tenant: { id: tenant } }, fn) : fn());
    return { value, queries: statements - before };
  }

  it('sends a cached query to the database once', async () => {
    expect(await counted('acme', () => posts.titles())).toEqual({
      value: ['acme first', 'acme second'],
      queries: 1,
    });
    expect(await counted('acme', () => posts.titles())).toEqual({
      value: ['acme first', 'acme second'],
      queries: 0,
    });
    expect(app.get(CacheStats).of('TypeORM [posts]')).toMatchObject({ hits: 1, misses: 1 });
  });

  it('keeps the tenants apart: the same SQL reads another schema per tenant', async () => {
    expect(await counted('globex', () => posts.titles())).toEqual({
      value: ['globex first', 'globex second'],
      queries: 1,
    });
    expect(await counted('acme', () => posts.titles())).toMatchObject({
      value: ['acme first', 'acme second'],
    });
    expect(await counted('globex', () => posts.titles())).toMatchObject({ queries: 0 });
    expect(await counted(undefined, () => posts.titles())).toEqual({ value: [], queries: 1 });
  });

  it('queries the database again after its tag was invalidated by @CacheEvict()', async () => {
    await counted('acme', () => posts.titles());
    await context.run({ tenant: { id: 'acme' } }, () => posts.add('acme third'));
    expect(await counted('acme', () => posts.titles())).toEqual({
      value: ['acme first', 'acme second', 'acme third'],
      queries: 1,
    });
    expect(await counted('acme', () => posts.titles())).toMatchObject({ queries: 0 });
  });

  it('caches find({ cache: cacheFind() }) and getManyAndCount() under the same tags', async () => {
    await app.get(CacheService).invalidate({ tags: ['posts'] });
    expect(await counted('globex', () => posts.firstPageAndCount())).toEqual({
      value: [['globex first'], 2],
      queries: 2,
    });
    expect(await counted('globex', () => posts.firstPageAndCount())).toMatchObject({ queries: 0 });
    expect(await counted('globex', () => posts.found())).toMatchObject({ queries: 1 });
    expect(await counted('globex', () => posts.found())).toMatchObject({ queries: 0 });
    await app.get(CacheService).invalidate({ tags: ['posts'] });
    expect(await counted('globex', () => posts.firstPageAndCount())).toMatchObject({ queries: 2 });
    expect(await counted('globex', () => posts.found())).toMatchObject({ queries: 1 });
  });

  it("drops results through TypeORM's queryResultCache.remove() and clear()", async () => {
    const results = app.get(DataSource).queryResultCache!;
    await counted('acme', () => posts.titles());
    await results.remove([queryCacheIdentifier(['posts'])]);
    expect(await counted('acme', () => posts.titles())).toMatchObject({ queries: 1 });
    await results.clear();
    expect(await counted('acme', () => posts.titles())).toMatchObject({ queries: 1 });
    expect(await counted('acme', () => posts.titles())).toMatchObject({ queries: 0 });
  });

  it('bypasses the cache inside a transaction: its own writes are seen, and never shared', async () => {
    const cached = await counted('globex', () => posts.titles());
    const inside = context.run({ tenant: { id: 'globex' } }, () =>
      posts.addInTransaction('uncommitted', true),
    );
    await expect(inside).rejects.toThrow('rolled back');
    expect(await counted('globex', () => posts.titles())).toEqual({ value: cached.value, queries: 0 });
    expect(await counted('globex', () => posts.addInTransaction('committed', false))).toMatchObject({
      value: [...cached.value, 'committed'],
    });
  });

  it('leaves queries that do not ask for the cache alone', async () => {
    expect(await counted('acme', () => posts.uncached())).toMatchObject({ queries: 1 });
    expect(await counted('acme', () => posts.uncached())).toMatchObject({ queries: 1 });
  });
});
