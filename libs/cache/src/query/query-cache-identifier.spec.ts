import { describe, expect, it } from 'vitest';
import { CacheError } from '../cache.errors.js';
import { cacheFind, cacheQuery, queryCacheIdentifier, queryCacheTags } from './query-cache-identifier.js';

/** Records what `cacheQuery` asks of a query builder (its `cache()` overloads). */
class RecordingBuilder {
  calls: unknown[][] = [];
  cache(...args: unknown[]): this {
    this.calls.push(args);
    return this;
  }
}

describe('queryCacheIdentifier / queryCacheTags', () => {
  it.each<[readonly string[], string]>([
    [['posts'], 'kwik:tags=posts;'],
    [['posts', 'comments'], 'kwik:tags=posts,comments;'],
    [['post:1', 'a,b', 'x;y', '50%'], 'kwik:tags=post%3A1,a%2Cb,x%3By,50%25;'],
  ])('round-trips %j', (tags, identifier) => {
    expect(queryCacheIdentifier(tags)).toBe(identifier);
    expect(queryCacheTags(identifier)).toEqual(tags);
  });

  it.each<[string, string]>([
    ['getManyAndCount', '-count'],
    ['pagination with joins', '-pagination'],
    ['both', '-pagination-count'],
  ])('ignores the suffix TypeORM appends for %s', (_, suffix) => {
    expect(queryCacheTags(`${queryCacheIdentifier(['posts-count', 'b'])}${suffix}`)).toEqual([
      'posts-count',
      'b',
    ]);
  });

  it.each<[string | undefined, readonly string[]]>([
    [undefined, []],
    ['', []],
    ['users_admins', ['users_admins']],
    ['users_admins-count', ['users_admins-count']],
    ['kwik:tags=posts', ['posts']],
    ['kwik:tags=bad%', ['bad%']],
  ])('reads %j as the tags %j', (identifier, tags) => {
    expect(queryCacheTags(identifier)).toEqual(tags);
  });

  it.each([[['']], [[1]], ['posts']])('refuses the tags %j', (tags) => {
    expect(() => queryCacheIdentifier(tags as never)).toThrow(CacheError);
  });
});

describe('cacheQuery / cacheFind', () => {
  it('gives the query builder the tags identifier and the TTL in ms', () => {
    const qb = new RecordingBuilder();
    expect(cacheQuery(qb as never, { ttl: '1m', tags: ['posts', 'comments'] })).toBe(qb);
    expect(qb.calls).toEqual([['kwik:tags=posts,comments;', 60_000]]);
  });

  it('gives only the TTL without tags', () => {
    const qb = new RecordingBuilder();
    cacheQuery(qb as never, { ttl: { seconds: 5 } });
    expect(qb.calls).toEqual([[5000]]);
  });

  it('refuses a TTL without a unit', () => {
    expect(() => cacheQuery(new RecordingBuilder() as never, { ttl: 60 as never })).toThrow(
      /cacheQuery\(\) ttl/,
    );
  });

  it.each([
    [
      { ttl: '30s', tags: ['posts'] },
      { id: 'kwik:tags=posts;', milliseconds: 30_000 },
    ],
    [{ ttl: '30s' }, 30_000],
  ] as const)('builds the find() option of %j', (options, expected) => {
    expect(cacheFind(options)).toEqual(expected);
  });
});
