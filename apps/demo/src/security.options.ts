import type { SecurityModuleOptions } from '@kwik/security';
import type { DemoConfig } from './config/demo-config.js';

/**
 * The demo's security settings: Kwik's headers (CSP that keeps `/docs` working, HSTS, ...), and
 * rate limits per minute from `RATE_LIMIT_ANONYMOUS` (per ip) and `RATE_LIMIT_AUTHENTICATED`
 * (per user), shared through Redis when `REDIS_URL` is set; 0 turns a tier off.
 */
export function demoSecurityOptions(config: DemoConfig): SecurityModuleOptions {
  const tier = (limit: number) => (limit === 0 ? false : { limit, window: '1m' as const });
  const anonymous = tier(config.RATE_LIMIT_ANONYMOUS);
  const authenticated = tier(config.RATE_LIMIT_AUTHENTICATED);
  return { rateLimit: anonymous || authenticated ? { anonymous, authenticated } : false };
}
