import type { RateLimitPolicy, SecurityModuleOptions } from '@kwik/security';
import type { DemoConfig } from './config/demo-config.js';

/** A per-minute tier, or `false` (off) for 0. */
function perMinute(limit: number): Partial<RateLimitPolicy> | false {
  return limit === 0 ? false : { limit, window: '1m' };
}

/**
 * The demo's security settings: Kwik's headers (CSP that keeps `/docs` working, HSTS, ...), and
 * rate limits per minute from `RATE_LIMIT_ANONYMOUS` (per ip) and `RATE_LIMIT_AUTHENTICATED`
 * (per user), shared through Redis when `REDIS_URL` is set; 0 turns a tier off.
 */
export function demoSecurityOptions(config: DemoConfig): SecurityModuleOptions {
  const anonymous = perMinute(config.RATE_LIMIT_ANONYMOUS);
  const authenticated = perMinute(config.RATE_LIMIT_AUTHENTICATED);
  return { rateLimit: anonymous || authenticated ? { anonymous, authenticated } : false };
}
