export { SecurityModule } from './security.module.js';
export type { SecurityModuleExtras } from './security.module-definition.js';
export {
  DEFAULT_EXPOSED_HEADERS,
  RATE_LIMIT_METADATA,
  REQUEST_TIMEOUT_METADATA,
  SECURITY_MODULE_OPTIONS,
  SECURITY_RESOLVED_OPTIONS,
  SKIP_RATE_LIMIT_METADATA,
} from './security.constants.js';
export type {
  ContentSecurityPolicyOptions,
  HstsOptions,
  RateLimitBy,
  RateLimitModuleOptions,
  RateLimitPolicy,
  RateLimitWindow,
  SecurityCorsOptions,
  SecurityHeadersOptions,
  SecurityModuleOptions,
} from './security-options.interface.js';
export { SecurityError, SecurityErrorCode, type SecurityErrorCodeValue } from './security.errors.js';
export {
  DEFAULT_ANONYMOUS_TIER,
  DEFAULT_AUTHENTICATED_TIER,
  resolveSecurityOptions,
  type ResolvedRateLimitOptions,
  type ResolvedSecurityOptions,
} from './options/resolve-security-options.js';
export { KWIK_CSP_DIRECTIVES } from './options/resolve-headers.js';

export { RateLimit } from './decorators/rate-limit.decorator.js';
export { SkipRateLimit } from './decorators/skip-rate-limit.decorator.js';
export { RequestTimeout } from './decorators/request-timeout.decorator.js';

export { RateLimitGuard } from './rate-limit/rate-limit.guard.js';
export { RateLimitStore, type RateLimitHit } from './rate-limit/rate-limit.store.js';
export { parseWindow, type ResolvedRateLimitPolicy } from './rate-limit/rate-limit-policy.js';
export {
  formatPolicyHeader,
  formatRateLimitHeader,
  retryAfterSeconds,
} from './rate-limit/ratelimit-headers.js';
export {
  MemoryRateLimitStore,
  type MemoryRateLimitStoreOptions,
} from './rate-limit/drivers/memory-rate-limit.store.js';
export {
  RedisRateLimitStore,
  type RedisRateLimitStoreOptions,
} from './rate-limit/drivers/redis-rate-limit.store.js';
