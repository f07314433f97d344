import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { KwikRedisClient } from '@kwik/core';

type Redis = NonNullable<KwikRedisClient>;
import { RevocationStore, sweep } from '../revocation.store.js';

const KEY = 'kwik:auth:revoked';
const CHANNEL = 'kwik:auth:revoked';

/**
 * Revocations shared by every instance through Redis: a sorted set (`kwik:auth:revoked`, score =
 * lapse time) is the record, a pub/sub channel tells every instance at once, and each instance
 * answers `isRevoked` from its own mirror. The mirror is (re)loaded from the set whenever the
 * subscription (re)connects, so a message missed while disconnected is never lost; `revoke`
 * resolves after Redis has stored and broadcast the revocation.
 */
export class RedisRevocationStore extends RevocationStore implements OnApplicationShutdown {
  private readonly logger = new Logger('KwikAuth');
  private readonly mirror = new Map<string, number>();
  private readonly subscriber: Redis;
  private readonly timer = setInterval(() => sweep(this.mirror), 60_000).unref();

  private constructor(private readonly redis: Redis) {
    super();
    this.subscriber = redis.duplicate();
    this.subscriber.on('message', (_channel: string, message: string) => this.apply(message));
    this.subscriber.on('ready', () => {
      this.reload().catch((error: unknown) =>
        this.logger.error(`Reloading revocations failed: ${String(error)}`),
      );
    });
  }

  /** Subscribes and loads the current revocations before the app serves. */
  static async connect(redis: Redis): Promise<RedisRevocationStore> {
    const store = new RedisRevocationStore(redis);
    await store.subscriber.subscribe(CHANNEL);
    await store.reload();
    return store;
  }

  isRevoked(id: string): boolean {
    const until = this.mirror.get(id);
    return until !== undefined && until > Date.now();
  }

  async revoke(ids: readonly string[], untilMs: number): Promise<void> {
    if (ids.length === 0) return;
    for (const id of ids) this.mirror.set(id, Math.max(untilMs, this.mirror.get(id) ?? 0));
    const members = ids.flatMap((id) => [untilMs, id]);
    await this.redis
      .multi()
      .zadd(KEY, 'GT', ...(members as [number, string]))
      .zremrangebyscore(KEY, '-inf', Date.now())
      .publish(CHANNEL, JSON.stringify({ ids, untilMs }))
      .exec();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.subscriber.disconnect();
  }

  private apply(message: string): void {
    try {
      const { ids, untilMs } = JSON.parse(message) as { ids: string[]; untilMs: number };
      for (const id of ids) this.mirror.set(id, Math.max(untilMs, this.mirror.get(id) ?? 0));
    } catch (error) {
      this.logger.error(`Ignored a malformed revocation message: ${String(error)}`);
    }
  }

  private async reload(): Promise<void> {
    const now = Date.now();
    const flat = await this.redis.zrangebyscore(KEY, now, '+inf', 'WITHSCORES');
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const until = Number(flat[i + 1]);
      this.mirror.set(flat[i]!, Math.max(until, this.mirror.get(flat[i]!) ?? 0));
    }
    sweep(this.mirror, now);
  }
}
