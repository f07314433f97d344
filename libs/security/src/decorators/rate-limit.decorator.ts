import { SetMetadata } from '@nestjs/common';
import { RATE_LIMIT_METADATA } from '../security.constants.js';
import { SecurityError, SecurityErrorCode } from '../security.errors.js';
import type { RateLimitPolicy } from '../security-options.interface.js';
import { resolvePolicy } from '../rate-limit/rate-limit-policy.js';

/**
 * Limits a route (on a method) or every route of a controller (on the class) to `limit` requests
 * in any sliding `window`, counted per `by` (default: the principal's id, else the ip). Replaces
 * the global anonymous / authenticated tiers on those routes; a method's policy wins over its
 * controller's. The policy is checked when the class is loaded: a bad one throws
 * `KWIK_SECURITY_INVALID_OPTIONS` at boot.
 *
 * @example
 * @Post('login')
 * @RateLimit({ limit: 5, window: '1m', by: 'ip', name: 'login' })
 * login(@Body() dto: LoginDto) { ... }
 */
export function RateLimit(policy: RateLimitPolicy): ClassDecorator & MethodDecorator {
  const problems: string[] = [];
  const resolved = resolvePolicy(policy, '@RateLimit()', { name: 'default', by: 'user' }, problems);
  if (!resolved)
    throw new SecurityError(
      SecurityErrorCode.InvalidOptions,
      `Invalid @RateLimit() policy:\n- ${problems.join('\n- ')}`,
    );
  return SetMetadata(RATE_LIMIT_METADATA, resolved);
}
