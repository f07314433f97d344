import { Module, type DynamicModule, type FactoryProvider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { environmentWith, KWIK_REDIS, type KwikRedisClient } from '@kwik/core';
import { RequestTimeoutGuard } from './http/request-timeout.guard.js';
import { RequestTimeouts } from './http/request-timeouts.service.js';
import { SecurityHttpSetup } from './http/security-http.service.js';
import { resolveSecurityOptions, type ResolvedSecurityOptions } from './options/resolve-security-options.js';
import { MemoryRateLimitStore } from './rate-limit/drivers/memory-rate-limit.store.js';
import { RedisRateLimitStore } from './rate-limit/drivers/redis-rate-limit.store.js';
import { RateLimitStore } from './rate-limit/rate-limit.store.js';
import { SECURITY_MODULE_OPTIONS, SECURITY_RESOLVED_OPTIONS } from './security.constants.js';
import { SecurityError, SecurityErrorCode } from './security.errors.js';
import {
  SECURITY_ASYNC_OPTIONS_TYPE,
  SECURITY_OPTIONS_TYPE,
  SecurityConfigurableModule,
} from './security.module-definition.js';
import type { SecurityModuleOptions } from './security-options.interface.js';

const resolvedOptionsProvider: FactoryProvider<ResolvedSecurityOptions> = {
  provide: SECURITY_RESOLVED_OPTIONS,
  inject: [SECURITY_MODULE_OPTIONS],
  useFactory: (options: SecurityModuleOptions) => resolveSecurityOptions(options, environmentWith('.env')),
};

/** The store `rateLimit.store` names: the shared Redis client when there is one (`'auto'`), else memory. */
const rateLimitStoreProvider: FactoryProvider<RateLimitStore> = {
  provide: RateLimitStore,
  inject: [SECURITY_RESOLVED_OPTIONS, { token: KWIK_REDIS, optional: true }],
  useFactory: (options: ResolvedSecurityOptions, redis: KwikRedisClient | undefined) => {
    const { store, storeTimeoutMs } = options.rateLimit;
    if (store instanceof RateLimitStore) return store;
    if (store === 'memory' || (store === 'auto' && !redis)) return new MemoryRateLimitStore();
    if (!redis)
      throw new SecurityError(
        SecurityErrorCode.RedisMissing,
        "rateLimit.store is 'redis' but the app has no Redis client: set REDIS_URL (or KwikModule.forRoot({ redis: { url } })), pass store: new RedisRateLimitStore(client), or use store: 'auto' / 'memory'.",
      );
    // Its own connection, auto-pipelined: concurrent requests' checks go out in one write.
    return new RedisRateLimitStore(redis.duplicate({ enableAutoPipelining: true }), {
      timeoutMs: storeTimeoutMs,
      ownsClient: true,
    });
  },
};

/**
 * Kwik's HTTP security: security headers (helmet, with a CSP that keeps the `/docs` UI working),
 * CORS from configuration, rate limiting (global anonymous / authenticated tiers, `@RateLimit()`,
 * shared through Redis when the app has it, IETF `RateLimit` headers) and request timeouts.
 * Needs `KwikModule` and an app bootstrapped with `createKwikApp()`.
 *
 * @example
 * @Module({
 *   imports: [
 *     KwikModule.forRoot(),
 *     SecurityModule.forRoot({ cors: { origins: ['https://app.example.com'] } }),
 *   ],
 * })
 * export class AppModule {}
 */
@Module({
  providers: [
    resolvedOptionsProvider,
    rateLimitStoreProvider,
    RequestTimeouts,
    SecurityHttpSetup,
    { provide: APP_GUARD, useClass: RequestTimeoutGuard },
  ],
  exports: [RateLimitStore, SECURITY_RESOLVED_OPTIONS],
})
export class SecurityModule extends SecurityConfigurableModule {
  /** Registers the module with static options (all optional). */
  static override forRoot(options: typeof SECURITY_OPTIONS_TYPE = {}): DynamicModule {
    return super.forRoot(options);
  }

  /** Registers the module with options from a factory (`useFactory`, `inject`, `imports`). */
  static override forRootAsync(options: typeof SECURITY_ASYNC_OPTIONS_TYPE): DynamicModule {
    return super.forRootAsync(options);
  }
}
