import type { FactoryProvider } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { KwikConfig } from '../config/kwik-config.js';
import { KwikError } from '../errors/kwik.error.js';
import { KWIK_REDIS } from '../kwik.constants.js';
import { KWIK_MODULE_OPTIONS } from '../kwik.module-definition.js';
import type { KwikModuleOptions } from '../kwik-options.interface.js';

/** The shared Redis client, or `null` when no Redis is configured. */
export type KwikRedisClient = Redis | null;

/**
 * Creates the one ioredis client the app shares (readiness, and later cache, rate limits,
 * revocation, fan-out). ioredis is loaded only when Redis is configured.
 */
export const redisProvider: FactoryProvider<Promise<KwikRedisClient>> = {
  provide: KWIK_REDIS,
  inject: [KWIK_MODULE_OPTIONS, KwikConfig],
  useFactory: async (options: KwikModuleOptions, config: KwikConfig) => {
    const url = options.redis?.url ?? config.REDIS_URL;
    if (!url) return null;
    if (!/^rediss?:\/\//.test(url)) {
      throw new KwikError(
        'KWIK_REDIS_URL_INVALID',
        `redis.url must be a redis:// or rediss:// URL, got "${url}".`,
      );
    }
    const { Redis } = await import('ioredis');
    return new Redis(url, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      connectionName: 'kwik',
    });
  },
};
