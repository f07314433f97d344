import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import KeyvRedis, { createClient } from '@keyv/redis';
import { createCache, type Cache } from 'cache-manager';
import { Keyv } from 'keyv';
import { LRUCache } from 'lru-cache';
import { tagsCurrent, type CacheEntry, type TagVersions } from '../store/cache-entry.js';
import { CacheStore, CacheStoreUnavailable } from '../store/cache-store.js';

/** Options of {@link RedisCacheStore}. */
export interface RedisCacheStoreOptions {
  url: string;
  keyPrefix: string;
  /** How long one command may take before the store counts as unavailable (ms). @default 1000 */
  commandTimeoutMs?: number;
  /**
   * Entries with tags also kept in this process (an LRU of this many), read back after the tag
   * versions were read from Redis: a hit then moves only the versions over the network. 0 turns
   * it off. @default 1000
   */
  nearEntries?: number;
}

type RedisClient = ReturnType<typeof createClient>;

const UNLOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/**
 * The shared store: cache-manager over Keyv over `@keyv/redis` (node-redis, auto-pipelined).
 * Values, tag versions and single-flight locks live in Redis, so every instance sees the same
 * entries and an invalidation on one instance applies on all of them at once.
 *
 * The client never queues commands while disconnected: a lookup while Redis is down fails at once
 * with {@link CacheStoreUnavailable} (the cache is bypassed), and node-redis reconnects in the
 * background; caching resumes when Redis answers again.
 */
export class RedisCacheStore extends CacheStore {
  readonly kind = 'redis';
  private readonly logger = new Logger('KwikCache');
  private readonly client: RedisClient;
  readonly cacheManager: Cache;
  private readonly prefix: string;
  private readonly timeoutMs: number;
  private readonly connecting: Promise<void>;
  private readonly near: LRUCache<string, CacheEntry> | undefined;
  private closed = false;

  constructor(options: RedisCacheStoreOptions) {
    super();
    this.prefix = options.keyPrefix;
    this.timeoutMs = options.commandTimeoutMs ?? 1000;
    const nearEntries = options.nearEntries ?? 1000;
    if (nearEntries > 0) this.near = new LRUCache({ max: nearEntries });
    this.client = createClient({
      url: options.url,
      disableOfflineQueue: true,
      socket: {
        connectTimeout: 2000,
        reconnectStrategy: (retries: number) => Math.min(50 * 2 ** Math.min(retries, 6), 2000),
      },
    });
    // node-redis emits 'error' on every failed (re)connection; the service logs unavailability.
    this.client.on('error', () => undefined);
    // Values live under `<keyPrefix>:<key>` (the adapter's namespace), so cache-manager's clear()
    // (also reachable through the CACHE_MANAGER token) only ever deletes this cache's values.
    const adapter = new KeyvRedis(this.client as never, { throwOnConnectError: false, throwOnErrors: true });
    // Keyv hands its namespace to the adapter, which prefixes keys with `<namespace>::`.
    const keyv = new Keyv({ store: adapter, namespace: this.prefix.replace(/:+$/, ''), useKeyPrefix: false });
    this.cacheManager = createCache({ stores: [keyv] });
    // node-redis keeps retrying inside connect(), whose promise stays pending while Redis is down:
    // readiness is the first 'ready' or the first failure, whichever comes first.
    this.connecting = new Promise<void>((resolve) => {
      const settled = (): void => {
        this.client.off('ready', settled);
        this.client.off('error', failed);
        resolve();
      };
      const failed = (error: unknown): void => {
        if (!this.closed)
          this.logger.warn(
            `Redis cache store: first connection failed (${String(error)}); retrying in the background.`,
          );
        settled();
      };
      this.client.on('ready', settled);
      this.client.on('error', failed);
    });
    this.client.connect().catch((error: unknown) => {
      if (!this.closed) this.logger.warn(`Redis cache store: gave up connecting (${String(error)}).`);
    });
  }

  get available(): boolean {
    return this.client.isReady;
  }

  override ready(): Promise<void> {
    return this.connecting;
  }

  async read(key: string, tags: readonly string[]): Promise<{ entry?: CacheEntry; versions: TagVersions }> {
    this.ensureReady();
    // A near copy is only trusted while Redis still holds the entry (another instance may have
    // deleted it by key) and with the tag versions Redis has now (an invalidation by tag on any
    // instance bumps them): both are read in one round trip, without the entry itself.
    const local = tags.length ? this.near?.get(key) : undefined;
    if (local) {
      const [versions, exists] = await this.timed(
        Promise.all([this.readVersions(tags), this.client.exists(this.redisValueKey(key))]),
      );
      if (exists === 1 && tagsCurrent(local, versions) && Date.now() < local.staleUntil)
        return { entry: local, versions };
      this.near!.delete(key);
    }
    const [entry, versions] = await this.timed(
      Promise.all([this.cacheManager.get<CacheEntry>(this.valueKey(key)), this.readVersions(tags)]),
    );
    if (entry && tags.length) this.keepNear(key, entry);
    return { entry: entry ?? undefined, versions };
  }

  async tagVersions(tags: readonly string[]): Promise<TagVersions> {
    this.ensureReady();
    return this.timed(this.readVersions(tags));
  }

  async write(key: string, entry: CacheEntry, ttlMs: number): Promise<void> {
    this.ensureReady();
    await this.timed(this.cacheManager.set(this.valueKey(key), entry, ttlMs));
    if (Object.keys(entry.tags).length) this.keepNear(key, entry);
  }

  async delete(keys: readonly string[]): Promise<void> {
    if (!keys.length) return;
    this.ensureReady();
    for (const key of keys) this.near?.delete(key);
    await this.timed(this.client.del(keys.map((k) => this.redisValueKey(k))));
  }

  async invalidateTags(tags: readonly string[]): Promise<void> {
    if (!tags.length) return;
    this.ensureReady();
    const multi = this.client.multi();
    for (const tag of tags) multi.incr(this.tagKey(tag));
    await this.timed(multi.exec());
  }

  async lock(key: string, ttlMs: number): Promise<string | undefined> {
    this.ensureReady();
    const token = randomUUID();
    const taken = await this.timed(this.client.set(this.lockKey(key), token, { NX: true, PX: ttlMs }));
    return taken === 'OK' ? token : undefined;
  }

  async unlock(key: string, token: string): Promise<void> {
    if (!this.client.isReady) return; // the lock expires by itself
    await this.timed(this.client.eval(UNLOCK, { keys: [this.lockKey(key)], arguments: [token] }));
  }

  async clear(): Promise<void> {
    this.ensureReady();
    this.near?.clear();
    // The prefix is matched literally: glob characters in it would match other apps' keys.
    const match = `${this.prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
    for await (const batch of this.client.scanIterator({ MATCH: match, COUNT: 500 })) {
      const keys = batch as unknown as string[];
      if (keys.length) await this.client.unlink(keys);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    // Not open: already closed (a second close() must not throw ClientClosedError).
    if (this.client.isOpen) await this.client.close();
  }

  private keepNear(key: string, entry: CacheEntry): void {
    const ttl = entry.staleUntil - Date.now();
    if (ttl > 0) this.near?.set(key, entry, { ttl });
  }

  private readVersions(tags: readonly string[]): Promise<TagVersions> {
    if (tags.length === 0) return Promise.resolve(EMPTY);
    return this.client.mGet(tags.map((t) => this.tagKey(t))).then((values) => {
      const versions: Record<string, number> = {};
      tags.forEach((tag, i) => (versions[tag] = values[i] ? Number(values[i]) : 0));
      return versions;
    });
  }

  private ensureReady(): void {
    if (!this.client.isReady) throw new CacheStoreUnavailable('Redis is not connected');
  }

  private timed<T>(promise: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new CacheStoreUnavailable(`Redis did not answer within ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
    });
    return Promise.race([promise, timeout]).then(
      (value) => {
        clearTimeout(timer);
        return value;
      },
      (error: unknown) => {
        clearTimeout(timer);
        throw error instanceof CacheStoreUnavailable
          ? error
          : new CacheStoreUnavailable(`Redis failed: ${String(error)}`, { cause: error });
      },
    );
  }

  /** The key of an entry as cache-manager sees it (the adapter adds `<namespace>::`). */
  private valueKey(key: string): string {
    return `v:${key}`;
  }

  /** The entry's key in Redis itself (for commands sent without cache-manager). */
  private redisValueKey(key: string): string {
    return `${this.prefix.replace(/:+$/, '')}::v:${key}`;
  }

  private tagKey(tag: string): string {
    return `${this.prefix}tag:${tag}`;
  }

  private lockKey(key: string): string {
    return `${this.prefix}lock:${key}`;
  }
}

const EMPTY: TagVersions = Object.freeze({});
