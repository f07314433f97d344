import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { CACHE_RESOLVED_OPTIONS } from '../cache.constants.js';
import { tagsCurrent, type CacheEntry, type TagVersions } from '../store/cache-entry.js';
import { CacheStore, CacheStoreUnavailable } from '../store/cache-store.js';
import { CacheStats, type CacheOutcome } from './cache-stats.js';
import type { ResolvedCacheOptions } from './resolve-cache-options.js';
import { decodeValue, encodeValue } from './value-codec.js';

/** The result of one lookup. */
export interface CacheLookup {
  /** `hit` fresh, `stale` within staleWhileRevalidate, `miss`, or `bypass` (store unavailable or caching off). */
  readonly state: CacheOutcome;
  readonly entry?: CacheEntry;
  /** Versions of the lookup's tags, to store a computed value with. */
  readonly versions: TagVersions;
}

/** How long a value stays. */
export interface CachePolicy {
  readonly ttlMs: number;
  /** Extra time a stale value is served while it is refreshed. */
  readonly swrMs: number;
}

/** One cached computation: what `CacheService.remember()` needs. */
export interface CacheSpec extends CachePolicy {
  /** Route or method name (stats, messages). */
  readonly name: string;
  readonly key: string;
  readonly tags: readonly string[];
}

/** What to invalidate. */
export interface InvalidateInput {
  tags?: readonly string[];
  keys?: readonly string[];
}

const POLL_MS = 20;

/**
 * The cache engine behind `@Cache()` on routes and methods, usable directly: `remember()` (with
 * single-flight and stale-while-revalidate), `invalidate()` by tags or keys, `clear()`.
 * A store that is down never fails a call: the value is computed without the cache (logged once
 * per interval), and invalidations made meanwhile are replayed when the store is back.
 *
 * @example
 * constructor(private readonly cache: CacheService) {}
 * rates() {
 *   return this.cache.remember({ name: 'rates', key: 'fx:eur', tags: ['fx'], ttlMs: 60_000, swrMs: 0 },
 *     () => this.fx.fetchRates('EUR'));
 * }
 * await this.cache.invalidate({ tags: ['fx'] });
 */
@Injectable()
export class CacheService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('KwikCache');
  private readonly flights = new Map<string, Promise<unknown>>();
  private readonly refreshing = new Set<string>();
  private readonly pendingTags = new Set<string>();
  private readonly pendingKeys = new Set<string>();
  private lastUnavailableLog = 0;
  private wasUnavailable = false;

  constructor(
    @Inject(CACHE_RESOLVED_OPTIONS) readonly options: ResolvedCacheOptions,
    readonly store: CacheStore,
    readonly stats: CacheStats,
  ) {}

  /** Looks `key` up; never throws for an unavailable store (the state is then `bypass`). */
  async lookup(key: string, tags: readonly string[]): Promise<CacheLookup> {
    if (!this.options.enabled) return BYPASS;
    if (!this.store.available) return this.unavailable();
    try {
      if (this.pendingTags.size || this.pendingKeys.size) await this.flushPending();
      const { entry, versions } = await this.store.read(key, tags);
      this.recovered();
      if (entry === undefined || !tagsCurrent(entry, versions)) return { state: 'miss', versions };
      const now = Date.now();
      if (now < entry.freshUntil) return { state: 'hit', entry, versions };
      if (now < entry.staleUntil) return { state: 'stale', entry, versions };
      return { state: 'miss', versions };
    } catch (error) {
      return this.unavailable(error);
    }
  }

  /** Stores a computed value with the tag versions read before it was computed. */
  async save(key: string, value: unknown, policy: CachePolicy, versions: TagVersions): Promise<void> {
    if (!this.options.enabled || !this.store.available) return;
    const now = Date.now();
    const entry: CacheEntry = {
      value,
      freshUntil: now + policy.ttlMs,
      staleUntil: now + policy.ttlMs + policy.swrMs,
      tags: versions,
    };
    try {
      await this.store.write(key, entry, policy.ttlMs + policy.swrMs);
    } catch (error) {
      this.unavailable(error);
    }
  }

  /**
   * Drops entries by tag (on every instance sharing the store) and by key. While the store is down
   * the invalidation is kept and replayed before the next lookup that reaches the store.
   */
  async invalidate(input: InvalidateInput): Promise<void> {
    const tags = [...new Set(input.tags ?? [])];
    const keys = [...new Set(input.keys ?? [])];
    if (!tags.length && !keys.length) return;
    try {
      if (!this.store.available) throw new CacheStoreUnavailable('store unavailable');
      if (tags.length) await this.store.invalidateTags(tags);
      if (keys.length) await this.store.delete(keys);
    } catch (error) {
      for (const tag of tags) this.pendingTags.add(tag);
      for (const key of keys) this.pendingKeys.add(key);
      this.unavailable(error);
    }
  }

  /** Drops everything this cache stored (tests, admin). */
  async clear(): Promise<void> {
    await this.store.clear();
  }

  /**
   * The cached value of `spec.key`, or `compute()`'s result stored for next time. Concurrent misses
   * of one key compute once per process, and once across instances while the store's lock is held;
   * a stale value is returned at once and refreshed in the background. Values are stored with the
   * structured-clone algorithm: each caller gets its own copy.
   */
  async remember<T>(spec: CacheSpec, compute: () => Promise<T>): Promise<T> {
    const found = await this.lookup(spec.key, spec.tags);
    this.stats.record(spec.name, found.state);
    if (found.state === 'hit') return decodeValue<T>(found.entry!.value as Buffer);
    if (found.state === 'bypass') return compute();
    if (found.state === 'stale') {
      this.refreshInBackground(spec, compute);
      return decodeValue<T>(found.entry!.value as Buffer);
    }
    let leader = false;
    const encoded = await this.flight(spec.key, () => {
      leader = true;
      return this.computeOnce(spec, found.versions, compute);
    });
    return leader && encoded.computed !== NOT_COMPUTED
      ? (encoded.computed as T)
      : decodeValue<T>(encoded.bytes);
  }

  /**
   * Runs `fn` once for concurrent callers of the same key in this process; the others get the same
   * promise.
   */
  flight<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const running = this.flights.get(key);
    if (running) return running as Promise<T>;
    const promise = fn().finally(() => this.flights.delete(key));
    this.flights.set(key, promise);
    return promise;
  }

  /**
   * Waits (up to the lock timeout) for another instance that holds `key`'s lock to store it; the
   * fresh entry, or `undefined` when the wait ran out or the store failed.
   */
  async awaitPeer(key: string, tags: readonly string[]): Promise<CacheEntry | undefined> {
    const deadline = Date.now() + this.options.lockTimeoutMs;
    while (Date.now() < deadline) {
      await sleep(POLL_MS);
      const found = await this.lookup(key, tags);
      if (found.state === 'hit') return found.entry;
      if (found.state === 'bypass') return undefined;
    }
    return undefined;
  }

  /** Takes the cross-instance lock of `key`: a token, `undefined` when another instance holds it, `null` without store. */
  async lock(key: string): Promise<string | undefined | null> {
    try {
      return await this.store.lock(key, this.options.lockTimeoutMs);
    } catch (error) {
      this.unavailable(error);
      return null;
    }
  }

  /** Releases a lock taken with {@link lock}. */
  async unlock(key: string, token: string | undefined | null): Promise<void> {
    if (!token) return;
    try {
      await this.store.unlock(key, token);
    } catch (error) {
      this.unavailable(error);
    }
  }

  /** Logs "unavailable" at most once per interval; returns the bypass lookup. */
  unavailable(error?: unknown): CacheLookup {
    this.wasUnavailable = true;
    const now = Date.now();
    if (now - this.lastUnavailableLog >= this.options.unavailableLogIntervalMs) {
      this.lastUnavailableLog = now;
      this.logger.warn(
        `The ${this.store.kind} cache store is unavailable${error ? ` (${(error as Error).message ?? String(error)})` : ''}: responses are computed without the cache (X-Cache: BYPASS) until it answers again.`,
      );
    }
    return BYPASS;
  }

  /** Waits (up to 3 s) for the store's first connection, so early requests do not bypass it. */
  async onModuleInit(): Promise<void> {
    const timeout = sleep(3000, undefined, { ref: false });
    await Promise.race([this.store.ready(), timeout]);
    if (!this.store.available) this.unavailable();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }

  private recovered(): void {
    if (!this.wasUnavailable) return;
    this.wasUnavailable = false;
    this.lastUnavailableLog = 0;
    this.logger.log(`The ${this.store.kind} cache store answers again: caching resumed.`);
  }

  private async flushPending(): Promise<void> {
    const tags = [...this.pendingTags];
    const keys = [...this.pendingKeys];
    if (tags.length) await this.store.invalidateTags(tags);
    if (keys.length) await this.store.delete(keys);
    for (const tag of tags) this.pendingTags.delete(tag);
    for (const key of keys) this.pendingKeys.delete(key);
  }

  private async computeOnce<T>(
    spec: CacheSpec,
    versions: TagVersions,
    compute: () => Promise<T>,
  ): Promise<{ bytes: Buffer; computed: T | typeof NOT_COMPUTED }> {
    const token = await this.lock(spec.key);
    try {
      if (token === undefined) {
        const peer = await this.awaitPeer(spec.key, spec.tags);
        if (peer) return { bytes: peer.value as Buffer, computed: NOT_COMPUTED };
      }
      const value = await compute();
      const bytes = encodeValue(value, spec.name);
      await this.save(spec.key, bytes, spec, versions);
      return { bytes, computed: value };
    } finally {
      await this.unlock(spec.key, token);
    }
  }

  private refreshInBackground<T>(spec: CacheSpec, compute: () => Promise<T>): void {
    if (this.refreshing.has(spec.key)) return;
    this.refreshing.add(spec.key);
    void this.store
      .tagVersions(spec.tags)
      .then((versions) => this.computeOnce(spec, versions, compute))
      .catch((error: unknown) =>
        this.logger.warn(
          `Background refresh of ${spec.name} failed: ${(error as Error).message ?? String(error)}`,
        ),
      )
      .finally(() => this.refreshing.delete(spec.key));
  }
}

const NOT_COMPUTED = Symbol('not computed');
const BYPASS: CacheLookup = Object.freeze({ state: 'bypass', versions: Object.freeze({}) });
