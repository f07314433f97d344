import { describe, expect, it } from 'vitest';
import { CacheError } from '../cache.errors.js';
import type { CacheEvictOptions, CacheOptions } from '../cache-options.interface.js';
import { normalizeCacheOptions, normalizeEvictOptions, tagsOf } from './normalize-cache-options.js';

/** The `CacheError` that `fn` threw (fails the test when it threw nothing else). */
function rejection(fn: () => unknown): CacheError {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(CacheError);
  return thrown as CacheError;
}

const postTags = (id: string) => [`post:${id}`];
const authorPostTags = (authorId: string, postId: number) => [
  'posts',
  `author:${authorId}`,
  `post:${postId}`,
];

describe('normalizeCacheOptions', () => {
  it('defaults: module TTL, no SWR, no vary, no tags, not shared; the result is frozen', () => {
    const normalized = normalizeCacheOptions();
    expect(normalized).toEqual({
      ttlMs: undefined,
      swrMs: 0,
      varyUser: false,
      varyTenant: false,
      varyVersion: false,
      varyHeaders: [],
      tags: [],
      shared: false,
      cacheControl: undefined,
      key: undefined,
    });
    expect(Object.isFrozen(normalized)).toBe(true);
  });

  it('turns durations into milliseconds (staleWhileRevalidate may be zero)', () => {
    expect(normalizeCacheOptions({ ttl: '30s', staleWhileRevalidate: '5m' })).toMatchObject({
      ttlMs: 30_000,
      swrMs: 300_000,
    });
    expect(normalizeCacheOptions({ ttl: { milliseconds: 50 }, staleWhileRevalidate: '0s' })).toMatchObject({
      ttlMs: 50,
      swrMs: 0,
    });
  });

  it.each<[string, CacheOptions, string]>([
    ['a bare-number ttl', { ttl: 30 as never }, '@Cache() ttl'],
    ['a zero ttl', { ttl: '0s' as never }, '@Cache() ttl'],
    [
      'a negative staleWhileRevalidate',
      { staleWhileRevalidate: '-1s' as never },
      '@Cache() staleWhileRevalidate',
    ],
  ])('refuses %s with KWIK_CACHE_INVALID_DURATION naming the option', (_label, options, option) => {
    const error = rejection(() => normalizeCacheOptions(options));
    expect(error?.code).toBe('KWIK_CACHE_INVALID_DURATION');
    expect(error?.message).toContain(option);
  });

  it('reads vary: user, tenant, version, query, and header names lower-cased and trimmed', () => {
    const normalized = normalizeCacheOptions({
      vary: ['user', 'tenant', 'version', 'query', 'header:Accept-Language', 'header: X-Api-Key '],
    });
    expect(normalized).toMatchObject({ varyUser: true, varyTenant: true, varyVersion: true });
    expect(normalized.varyHeaders).toEqual(['accept-language', 'x-api-key']);
  });

  it.each<[string, unknown]>([
    ['vary that is not an array', 'user'],
    ['an unknown vary', ['ip']],
    ['a vary that is not a string', [42]],
    ['a null vary', [null]],
    ['a header without a name', ['header:']],
    ['a header name with a space', ['header:accept language']],
    ['a header name with a line break', ['header:accept\nx-evil']],
    ['a header name with a colon', ['header:accept:']],
  ])('refuses %s with KWIK_CACHE_INVALID_OPTIONS', (_label, vary) => {
    const error = rejection(() => normalizeCacheOptions({ vary: vary as CacheOptions['vary'] }));
    expect(error?.code).toBe('KWIK_CACHE_INVALID_OPTIONS');
    expect(error?.message).toMatch(/vary/);
  });

  it.each<[string, unknown]>([
    ['a string instead of an array', 'posts'],
    ['an empty tag', ['posts', '']],
    ['a number', [1]],
    ['null', [null]],
    ['an object', { posts: true }],
  ])('refuses tags given as %s', (_label, tags) => {
    const error = rejection(() => normalizeCacheOptions({ tags: tags as CacheOptions['tags'] }));
    expect(error?.code).toBe('KWIK_CACHE_INVALID_OPTIONS');
    expect(error?.message).toContain('@Cache() tags');
  });

  it('keeps its own frozen copy of fixed tags, and a tags function as given', () => {
    const tags = ['posts'];
    const normalized = normalizeCacheOptions({ tags });
    tags.push('users');
    expect(normalized.tags).toEqual(['posts']);
    expect(Object.isFrozen(normalized.tags)).toBe(true);
    expect(normalizeCacheOptions({ tags: postTags }).tags).toBe(postTags);
  });

  it.each<[string, CacheOptions]>([
    ['a cacheControl on two lines', { cacheControl: 'public\r\nSet-Cookie: a=b' }],
    ['an empty key', { key: '' }],
    ['a key that is not a string', { key: 42 as never }],
  ])('refuses %s', (_label, options) => {
    expect(rejection(() => normalizeCacheOptions(options))?.code).toBe('KWIK_CACHE_INVALID_OPTIONS');
  });

  it('keeps shared, cacheControl and key', () => {
    expect(
      normalizeCacheOptions({ shared: true, cacheControl: 'public, max-age=60', key: 'catalogue' }),
    ).toMatchObject({ shared: true, cacheControl: 'public, max-age=60', key: 'catalogue' });
  });
});

describe('normalizeEvictOptions', () => {
  it('accepts fixed tags or a tags function', () => {
    expect(normalizeEvictOptions({ tags: ['posts'] }).tags).toEqual(['posts']);
    expect(normalizeEvictOptions({ tags: postTags }).tags).toBe(postTags);
  });

  it.each<[string, unknown]>([
    ['no options', undefined],
    ['no tags', {}],
    ['an empty tag list', { tags: [] }],
    ['an empty tag', { tags: [''] }],
  ])('refuses %s: an eviction must say what it evicts', (_label, options) => {
    const error = rejection(() => normalizeEvictOptions(options as CacheEvictOptions));
    expect(error?.code).toBe('KWIK_CACHE_INVALID_OPTIONS');
    expect(error?.message).toContain('@CacheEvict()');
  });
});

describe('tagsOf', () => {
  it('returns fixed tags as they are', () => {
    expect(tagsOf(['posts'], ['ignored'])).toEqual(['posts']);
  });

  it("computes a tags function from the call's arguments", () => {
    expect(tagsOf(authorPostTags as never, ['ada', 7])).toEqual(['posts', 'author:ada', 'post:7']);
  });

  it.each<[string, unknown]>([
    ['a string', 'posts'],
    ['an empty tag', ['']],
    ['undefined', undefined],
    ['a number in the list', ['posts', 7]],
  ])('refuses a tags function that returns %s', (_label, result) => {
    const error = rejection(() => tagsOf((() => result) as never, []));
    expect(error?.code).toBe('KWIK_CACHE_INVALID_OPTIONS');
    expect(error?.message).toMatch(/tags function/);
  });
});
