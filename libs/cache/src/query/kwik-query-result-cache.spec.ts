import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RequestContext } from '@kwik/core';
import { MemoryCacheStore } from '../drivers/memory-cache.store.js';
import { CacheStats } from '../engine/cache-stats.js';
import { CacheService } from '../engine/cache.service.js';
import { resolveCacheOptions } from '../engine/resolve-cache-options.js';
import { KwikQueryResultCache, type TypeOrmQueryResultCacheOptions } from './kwik-query-result-cache.js';
import { queryCacheIdentifier } from './query-cache-identifier.js';

const QUERY = 'SELECT * FROM post WHERE id = $1 -- PARAMETERS: [1]';

describe('KwikQueryResultCache (memory store)', () => {
  let cache: CacheService;
  let context: RequestContext;
  let results: KwikQueryResultCache;

  beforeEach(() => {
    const options = resolveCacheOptions({ store: 'memory' }, undefined);
    cache = new CacheService(options, new MemoryCacheStore(options), new CacheStats());
    context = new RequestContext();
    results = new KwikQueryResultCache(cache, context);
  });
  afterEach(() => cache.onApplicationShutdown());

  /** What SelectQueryBuilder does: look up, and on a miss "run" the query and store its result. */
  async function load(
    result: string,
    identifier?: string,
    query = QUERY,
  ): Promise<{ result: string; hit: boolean }> {
    const options: TypeOrmQueryResultCacheOptions = { identifier, query, duration: 60_000 };
    const saved = await results.getFromCache(options);
    if (saved && !results.isExpired(saved)) return { result: saved.result as string, hit: true };
    await results.storeInCache({ ...options, time: Date.now(), result }, saved);
    return { result, hit: false };
  }

  it('serves the second identical query from the cache', async () => {
    expect(await load('[1]')).toEqual({ result: '[1]', hit: false });
    expect(await load('[2]')).toEqual({ result: '[1]', hit: true });
    expect(await load('[3]', undefined, 'SELECT 2')).toEqual({ result: '[3]', hit: false });
  });

  it('keys by tenant: the same SQL in two tenants are two entries', async () => {
    await context.run({ tenant: { id: 'acme' } }, () => load('acme rows'));
    expect(await context.run({ tenant: { id: 'globex' } }, () => load('globex rows'))).toMatchObject({
      hit: false,
    });
    expect(await context.run({ tenant: { id: 'acme' } }, () => load('x'))).toEqual({
      result: 'acme rows',
      hit: true,
    });
    expect(await load('no tenant')).toMatchObject({ hit: false });
  });

  it('drops entries by tag, by remove(identifiers) and by clear()', async () => {
    const posts = queryCacheIdentifier(['posts']);
    await load('v1', posts);
    await cache.invalidate({ tags: ['posts'] });
    expect(await load('v2', posts)).toEqual({ result: 'v2', hit: false });
    await results.remove([`${posts}-count`]);
    expect(await load('v3', posts)).toEqual({ result: 'v3', hit: false });
    await results.clear();
    expect(await load('v4', posts)).toEqual({ result: 'v4', hit: false });
    expect(await load('v5', posts)).toEqual({ result: 'v4', hit: true });
  });

  it('does not store a result over an invalidation that landed while the query ran', async () => {
    const posts = queryCacheIdentifier(['posts']);
    const options: TypeOrmQueryResultCacheOptions = { identifier: posts, query: QUERY, duration: 60_000 };
    const saved = await results.getFromCache(options);
    await cache.invalidate({ tags: ['posts'] }); // a write commits while the (old) query runs
    await results.storeInCache({ ...options, time: Date.now(), result: 'old rows' }, saved);
    expect(await load('new rows', posts)).toEqual({ result: 'new rows', hit: false });
  });

  it('does not share an entry between declarations with different tags', async () => {
    await load('tagged a', queryCacheIdentifier(['a']));
    await cache.invalidate({ tags: ['b'] });
    expect(await load('tagged b', queryCacheIdentifier(['b']))).toMatchObject({ hit: false });
  });

  it('counts hits and misses in CacheStats', async () => {
    await load('x', queryCacheIdentifier(['posts']));
    await load('x', queryCacheIdentifier(['posts']));
    expect(cache.stats.of('TypeORM [posts]')).toMatchObject({ hits: 1, misses: 1 });
  });

  it('is expired once time + duration has passed', () => {
    expect(results.isExpired({ duration: 1000, time: Date.now() })).toBe(false);
    expect(results.isExpired({ duration: 1000, time: Date.now() - 1001 })).toBe(true);
  });
});
