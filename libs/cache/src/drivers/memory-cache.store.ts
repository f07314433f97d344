import { randomUUID } from 'node:crypto';
import { createCache, type Cache } from 'cache-manager';
import { Keyv } from 'keyv';
import { LRUCache } from 'lru-cache';
import type { CacheEntry, TagVersions } from '../store/cache-entry.js';
import { CacheStore } from '../store/cache-store.js';
import { approximateSize } from './entry-size.js';

/** Bounds of {@link MemoryCacheStore}. */
export interface MemoryCacheStoreOptions {
  maxEntries: number;
  maxBytes: number;
}

/**
 * The in-process store: cache-manager over Keyv over a bounded LRU (`lru-cache`, by entries and by
 * bytes). Values stay objects (no serialization on a hit); tag versions and single-flight locks
 * are per process. The default when no Redis is configured.
 */
export class MemoryCacheStore extends CacheStore {
  readonly kind = 'memory';
  private readonly lru: LRUCache<string, StoredItem>;
  readonly cacheManager: Cache;
  private readonly versions = new Map<string, number>();
  private readonly locks = new Map<string, { token: string; until: number }>();

  constructor(options: MemoryCacheStoreOptions) {
    super();
    this.lru = new LRUCache({
      max: options.maxEntries,
      maxSize: options.maxBytes,
      sizeCalculation: (item) => Math.max(1, approximateSize(item.value.value)),
    });
    const keyv = new Keyv({
      store: lruAdapter(this.lru),
      namespace: undefined,
      serialize: undefined,
      deserialize: undefined,
    });
    this.cacheManager = createCache({ stores: [keyv] });
  }

  get available(): boolean {
    return true;
  }

  /** Entries held now (stats, tests). */
  get size(): number {
    return this.lru.size;
  }

  /**
   * Reads the LRU that cache-manager writes to, directly: a hit costs one map lookup instead of
   * cache-manager's and Keyv's chains of promises (the route's hot path). The item is Keyv's
   * `{ value, expires }`; the LRU also drops it at its TTL.
   */
  read(key: string, tags: readonly string[]): Promise<{ entry?: CacheEntry; versions: TagVersions }> {
    const item = this.lru.get(key);
    const entry = item && (item.expires === undefined || item.expires > Date.now()) ? item.value : undefined;
    return Promise.resolve({ entry, versions: this.currentVersions(tags) });
  }

  tagVersions(tags: readonly string[]): Promise<TagVersions> {
    return Promise.resolve(this.currentVersions(tags));
  }

  async write(key: string, entry: CacheEntry, ttlMs: number): Promise<void> {
    await this.cacheManager.set(key, entry, ttlMs);
  }

  async delete(keys: readonly string[]): Promise<void> {
    if (keys.length) await this.cacheManager.mdel([...keys]);
  }

  invalidateTags(tags: readonly string[]): Promise<void> {
    for (const tag of tags) this.versions.set(tag, (this.versions.get(tag) ?? 0) + 1);
    return Promise.resolve();
  }

  lock(key: string, ttlMs: number): Promise<string | undefined> {
    const now = Date.now();
    const held = this.locks.get(key);
    if (held && held.until > now) return Promise.resolve(undefined);
    const token = randomUUID();
    this.locks.set(key, { token, until: now + ttlMs });
    return Promise.resolve(token);
  }

  unlock(key: string, token: string): Promise<void> {
    if (this.locks.get(key)?.token === token) this.locks.delete(key);
    return Promise.resolve();
  }

  async clear(): Promise<void> {
    await this.cacheManager.clear();
    this.versions.clear();
    this.locks.clear();
  }

  async close(): Promise<void> {
    await this.cacheManager.disconnect();
  }

  private currentVersions(tags: readonly string[]): TagVersions {
    if (tags.length === 0) return EMPTY;
    const versions: Record<string, number> = {};
    for (const tag of tags) versions[tag] = this.versions.get(tag) ?? 0;
    return versions;
  }
}

type StoredItem = { value: CacheEntry; expires?: number };

/**
 * The LRU as a Keyv store. Keyv calls `set(key, value, ttlMs)`, but `LRUCache.set` takes an options
 * object as its third argument (and throws on a number, which Keyv swallows: nothing would ever be
 * stored). The TTL is handed to the LRU too, so expired entries free their room without being read.
 */
function lruAdapter(lru: LRUCache<string, StoredItem>) {
  return {
    get: (key: string) => Promise.resolve(lru.get(key)),
    set: (key: string, value: StoredItem, ttl?: number) => {
      lru.set(key, value, typeof ttl === 'number' && ttl > 0 ? { ttl } : {});
      return Promise.resolve(true);
    },
    delete: (key: string) => Promise.resolve(lru.delete(key)),
    has: (key: string) => Promise.resolve(lru.has(key)),
    clear: () => {
      lru.clear();
      return Promise.resolve();
    },
  };
}

const EMPTY: TagVersions = Object.freeze({});
