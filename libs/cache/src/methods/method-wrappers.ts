import type { RequestContext } from '@kwik/core';
import {
  tagsOf,
  type NormalizedCacheOptions,
  type NormalizedEvictOptions,
} from '../decorators/normalize-cache-options.js';
import type { CacheService } from '../engine/cache.service.js';
import { methodCacheKey } from './method-cache-key.js';

/**
 * A provider method, as found on its instance.
 *
 * @example
 * const original = (instance as Record<string, AnyMethod>)[methodName];
 */
export type AnyMethod = (...args: unknown[]) => unknown;

/**
 * What the wrappers need from the app.
 *
 * @example
 * const deps: MethodCacheDeps = { cache: app.get(CacheService), context: app.get(RequestContext) };
 */
export interface MethodCacheDeps {
  readonly cache: CacheService;
  readonly context: RequestContext;
}

/**
 * Runs `fn` in the request context captured when the call was made. The first computation of a
 * call runs in that context anyway; a stale-while-revalidate refresh runs later, in the background,
 * possibly after the request ended or from another caller's context, and must still see the
 * caller's tenant and principal (row-level security, auditing).
 */
function inCallerContext<T>(context: RequestContext, fn: () => T): () => T {
  if (!context.active) return fn;
  const snapshot = context.capture();
  return () =>
    context.active && context.requestId === snapshot.requestId ? fn() : context.run(snapshot, fn);
}

/**
 * Wraps a `@Cache()` provider method: the result of `original` is remembered under a key built from
 * the arguments and the request context (see `methodCacheKey`), with single-flight and
 * stale-while-revalidate from `CacheService.remember()`. The wrapper always returns a promise (of a
 * copy of the value, except for the caller that computed it). With caching disabled
 * (`enabled: false`) it calls through without building a key.
 *
 * @example
 * instance.rate = cachedMethod(instance, proto.rate, 'RatesService.rate', options, { cache, context });
 */
export function cachedMethod(
  instance: object,
  original: AnyMethod,
  name: string,
  options: NormalizedCacheOptions,
  { cache, context }: MethodCacheDeps,
): (...args: unknown[]) => Promise<unknown> {
  const ttlMs = options.ttlMs ?? cache.options.defaultTtlMs;
  const swrMs = options.swrMs;
  return async function cached(...args: unknown[]): Promise<unknown> {
    if (!cache.options.enabled) return original.apply(instance, args);
    const key = methodCacheKey(name, options, args, context);
    const tags = tagsOf(options.tags, args);
    const compute = inCallerContext(context, async () => original.apply(instance, args));
    return cache.remember({ name, key, tags, ttlMs, swrMs }, compute);
  };
}

/**
 * Wraps a `@CacheEvict()` provider method: after `inner` succeeds (sync or async) its tags are
 * invalidated, then its result is returned — so the caller's next read sees fresh data. When it
 * throws, nothing is invalidated and the error is rethrown. Tags are computed from the arguments
 * before the call (a method that mutates its arguments does not change what it evicts). The
 * wrapper always returns a promise, even for a synchronous method.
 *
 * @example
 * instance.rename = evictingMethod(instance, proto.rename, evictOptions, { cache, context });
 */
export function evictingMethod(
  instance: object,
  inner: AnyMethod,
  options: NormalizedEvictOptions,
  { cache }: Pick<MethodCacheDeps, 'cache'>,
): (...args: unknown[]) => Promise<unknown> {
  return async function evicting(...args: unknown[]): Promise<unknown> {
    const tags = tagsOf(options.tags, args);
    const result = await inner.apply(instance, args);
    await cache.invalidate({ tags });
    return result;
  };
}
