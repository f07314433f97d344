import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ReadinessRegistry } from '../health/readiness.registry.js';
import { KWIK_REDIS } from '../kwik.constants.js';
import type { KwikRedisClient } from './redis.provider.js';

/** Connects the shared Redis client, registers the `redis` readiness check, quits on shutdown. */
@Injectable()
export class RedisLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Kwik');
  private lastError = '';

  constructor(
    @Inject(KWIK_REDIS) private readonly redis: KwikRedisClient,
    private readonly registry: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    const redis = this.redis;
    if (!redis) return;
    redis.on('error', (error: Error) => {
      // ioredis retries on its own; log each distinct failure once instead of once per retry.
      if (error.message === this.lastError) return;
      this.lastError = error.message;
      this.logger.warn(`Redis: ${error.message}`);
    });
    redis.on('ready', () => (this.lastError = ''));
    redis.connect().catch(() => undefined); // failures surface through 'error' and readiness
    this.registry.register({ name: 'redis', check: () => redis.ping() });
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.redis || this.redis.status === 'end') return;
    await this.redis.quit().catch(() => this.redis?.disconnect());
  }
}
