import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { RequestContext } from '@kwik/core';
import { CACHE_EVICT_METADATA, CACHE_METADATA } from '../cache.constants.js';
import type {
  NormalizedCacheOptions,
  NormalizedEvictOptions,
} from '../decorators/normalize-cache-options.js';
import { CacheService } from '../engine/cache.service.js';
import { cachedMethod, evictingMethod, type AnyMethod, type MethodCacheDeps } from './method-wrappers.js';

/** The wrapper keeps the original's name (stack traces, logs) and metadata (other decorators). */
function adopt(wrapper: Function, original: Function): void {
  Object.defineProperty(wrapper, 'name', { value: original.name, configurable: true });
  for (const key of Reflect.getMetadataKeys(original))
    Reflect.defineMetadata(key, Reflect.getMetadata(key, original), wrapper);
}

/**
 * Makes `@Cache()` and `@CacheEvict()` work on provider methods. At module init it finds every
 * singleton provider (controllers are the HTTP layer's) whose methods carry either decorator and
 * replaces the method on the instance with a wrapper (`cachedMethod` / `evictingMethod`): the
 * class and its prototype are untouched, and code holding the instance calls the wrapper.
 *
 * A method with both decorators evicts *around* the cached call: the cached value (or the newly
 * computed one) is returned, and its tags are invalidated afterwards — useful for "read and
 * consume" methods; usually the two belong on different methods.
 *
 * Request-scoped and transient providers are skipped with a warning: their instances are created
 * per request or per consumer, after this explorer ran.
 *
 * @example
 * @Injectable() class RatesService {
 *   @Cache({ ttl: '10m', tags: ['fx'] }) async rate(from: string, to: string) { ... }
 *   @CacheEvict({ tags: ['fx'] }) async reload() { ... }
 * }
 * // rates.rate('EUR', 'USD') computes once per 10 minutes (per tenant); rates.reload() evicts it.
 */
@Injectable()
export class MethodCacheExplorer implements OnModuleInit {
  private readonly logger = new Logger('KwikCache');
  private readonly wrapped = new WeakSet<object>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly cache: CacheService,
    private readonly context: RequestContext,
  ) {}

  onModuleInit(): void {
    const deps: MethodCacheDeps = { cache: this.cache, context: this.context };
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!wrapper.isDependencyTreeStatic() || wrapper.isTransient) {
        this.warnIfDecorated(wrapper.metatype, wrapper.isTransient ? 'transient' : 'request-scoped');
        continue;
      }
      if (instance === null || typeof instance !== 'object' || this.wrapped.has(instance)) continue;
      // An instance reachable through several providers (useExisting, re-exports) is wrapped once.
      this.wrapped.add(instance);
      this.wrapInstance(instance, deps);
    }
  }

  /** Replaces every decorated method of `instance`. */
  private wrapInstance(instance: object, deps: MethodCacheDeps): void {
    const prototype = Object.getPrototypeOf(instance) as object | null;
    if (prototype === null) return;
    const className = instance.constructor?.name || 'Anonymous';
    for (const methodName of this.scanner.getAllMethodNames(prototype)) {
      const original = (instance as Record<string, unknown>)[methodName];
      if (typeof original !== 'function') continue;
      const caching = this.reflector.get<NormalizedCacheOptions | undefined>(CACHE_METADATA, original);
      const evicting = this.reflector.get<NormalizedEvictOptions | undefined>(CACHE_EVICT_METADATA, original);
      if (!caching && !evicting) continue;
      let method = original as AnyMethod;
      if (caching) method = cachedMethod(instance, method, `${className}.${methodName}`, caching, deps);
      if (evicting) method = evictingMethod(instance, method, evicting, deps);
      adopt(method, original);
      Object.defineProperty(instance, methodName, {
        value: method,
        writable: true,
        configurable: true,
        enumerable: false,
      });
    }
  }

  private warnIfDecorated(metatype: unknown, scope: string): void {
    if (typeof metatype !== 'function' || !metatype.prototype) return;
    const prototype = metatype.prototype as Record<string, unknown>;
    for (const methodName of this.scanner.getAllMethodNames(prototype)) {
      const method = prototype[methodName];
      if (typeof method !== 'function') continue;
      if (this.reflector.get(CACHE_METADATA, method) || this.reflector.get(CACHE_EVICT_METADATA, method))
        this.logger.warn(
          `@Cache() / @CacheEvict() on ${metatype.name}.${methodName} is ignored: ${metatype.name} is ${scope}. Move the cached method to a singleton provider, or use CacheService.remember() / invalidate() inside it.`,
        );
    }
  }
}
