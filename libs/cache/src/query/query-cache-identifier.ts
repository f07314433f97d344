import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { CacheError, CacheErrorCode } from '../cache.errors.js';
import { toMilliseconds, type Duration } from '../duration.js';

/**
 * How a TypeORM cache identifier made by {@link queryCacheIdentifier} starts.
 *
 * @example
 * queryCacheIdentifier(['posts']).startsWith(QUERY_CACHE_IDENTIFIER_PREFIX) // true
 */
export const QUERY_CACHE_IDENTIFIER_PREFIX = 'kwik:tags=';

/**
 * Ends the tag list of an identifier. TypeORM appends `-count` (getManyAndCount) and `-pagination`
 * (skip/take with joins) to identifiers; whatever follows the terminator is ignored, so those
 * queries carry the same tags as the main one.
 */
const TERMINATOR = ';';

/**
 * How long and under which tags a TypeORM query result is cached.
 *
 * @example
 * const options: QueryCacheOptions = { ttl: '1m', tags: ['posts'] };
 */
export interface QueryCacheOptions {
  /** How long the result is served from the cache. */
  ttl: Duration;
  /** Tags to invalidate it by (`@CacheEvict({ tags })`, `CacheService.invalidate()`). @default [] */
  tags?: readonly string[];
}

function checkTags(tags: readonly string[]): void {
  if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string' || t.length === 0))
    throw new CacheError(
      CacheErrorCode.InvalidOptions,
      `Query cache tags must be an array of non-empty strings (got ${JSON.stringify(tags)}).`,
    );
}

/**
 * The TypeORM cache identifier that carries `tags` to Kwik's query result cache: `kwik:tags=` then
 * the URI-encoded tags separated by commas, then `;`.
 *
 * @example
 * queryCacheIdentifier(['posts', 'comments']) // 'kwik:tags=posts,comments;'
 */
export function queryCacheIdentifier(tags: readonly string[]): string {
  checkTags(tags);
  return `${QUERY_CACHE_IDENTIFIER_PREFIX}${tags.map(encodeURIComponent).join(',')}${TERMINATOR}`;
}

/**
 * The tags of a TypeORM cache identifier: those encoded by {@link queryCacheIdentifier}, or for any
 * other identifier (`qb.cache('posts-list', 60_000)`) the identifier itself — so
 * `dataSource.queryResultCache.remove(['posts-list'])` and `@CacheEvict({ tags: ['posts-list'] })`
 * drop it alike.
 *
 * @example
 * queryCacheTags('kwik:tags=posts,comments;-count') // ['posts', 'comments']
 * queryCacheTags('posts-list')                      // ['posts-list']
 * queryCacheTags(undefined)                         // []
 */
export function queryCacheTags(identifier: string | undefined): readonly string[] {
  if (identifier === undefined || identifier === null || identifier === '') return [];
  const id = String(identifier);
  if (!id.startsWith(QUERY_CACHE_IDENTIFIER_PREFIX)) return [id];
  const body = id.slice(QUERY_CACHE_IDENTIFIER_PREFIX.length);
  const end = body.indexOf(TERMINATOR);
  return (end === -1 ? body : body.slice(0, end))
    .split(',')
    .filter((tag) => tag.length > 0)
    .map(decodeTag);
}

function decodeTag(tag: string): string {
  try {
    return decodeURIComponent(tag);
  } catch {
    // A hand-written identifier with a stray '%': the tag is taken as written.
    return tag;
  }
}

/**
 * Caches a query builder's result in Kwik's cache (the same store as `@Cache()`, per tenant,
 * invalidated by tags). Needs the data source's `cache` option from `QueryCache.typeormOption()`.
 *
 * @example
 * const posts = await cacheQuery(repo.createQueryBuilder('p').where('p.published'), { ttl: '1m', tags: ['posts'] })
 *   .getMany();
 * // later, after a write:
 * await cache.invalidate({ tags: ['posts'] }); // or @CacheEvict({ tags: ['posts'] })
 */
export function cacheQuery<Q extends SelectQueryBuilder<ObjectLiteral>>(
  qb: Q,
  options: QueryCacheOptions,
): Q {
  const ms = toMilliseconds(options.ttl, 'cacheQuery() ttl');
  const tags = options.tags ?? [];
  return (tags.length ? qb.cache(queryCacheIdentifier(tags), ms) : qb.cache(ms)) as Q;
}

/**
 * The `cache` option of TypeORM's `find*()` methods for Kwik's query result cache.
 *
 * @example
 * await repo.find({ where: { published: true }, cache: cacheFind({ ttl: '1m', tags: ['posts'] }) });
 */
export function cacheFind(options: QueryCacheOptions): number | { id: string; milliseconds: number } {
  const milliseconds = toMilliseconds(options.ttl, 'cacheFind() ttl');
  const tags = options.tags ?? [];
  return tags.length ? { id: queryCacheIdentifier(tags), milliseconds } : milliseconds;
}
