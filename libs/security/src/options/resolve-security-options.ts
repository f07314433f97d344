import type { FastifyCorsOptions } from '@fastify/cors';
import type { HelmetOptions } from 'helmet';
import { SecurityError, SecurityErrorCode } from '../security.errors.js';
import type { RateLimitModuleOptions, SecurityModuleOptions } from '../security-options.interface.js';
import { resolvePolicy, type ResolvedRateLimitPolicy } from '../rate-limit/rate-limit-policy.js';
import { RateLimitStore } from '../rate-limit/rate-limit.store.js';
import { checkKeys, describe, isPlainObject, isWhole } from './option-checks.js';
import { resolveCors } from './resolve-cors.js';
import { resolveHeaders } from './resolve-headers.js';

/** Rate-limit settings after defaults and validation. */
export interface ResolvedRateLimitOptions {
  readonly enabled: boolean;
  readonly anonymous: ResolvedRateLimitPolicy | null;
  readonly authenticated: ResolvedRateLimitPolicy | null;
  readonly store: 'auto' | 'memory' | 'redis' | RateLimitStore;
  readonly keyPrefix: string;
  readonly onStoreError: 'open' | 'closed';
  readonly storeTimeoutMs: number;
  readonly excludePaths: readonly string[];
}

/** `SecurityModule` options after defaults and validation: what the providers read, frozen. */
export interface ResolvedSecurityOptions {
  /** `helmet` options, or `false` for no security headers. */
  readonly helmet: HelmetOptions | false;
  /** `@fastify/cors` options, or `false` for no CORS. */
  readonly cors: FastifyCorsOptions | false;
  readonly rateLimit: ResolvedRateLimitOptions;
  /** 0: no timeout. */
  readonly requestTimeoutMs: number;
}

/** Defaults of the two global tiers. */
export const DEFAULT_ANONYMOUS_TIER = Object.freeze({
  limit: 60,
  window: '1m',
  by: 'ip',
  name: 'anonymous',
} as const);
export const DEFAULT_AUTHENTICATED_TIER = Object.freeze({
  limit: 600,
  window: '1m',
  by: 'user',
  name: 'authenticated',
} as const);

const TOP_LEVEL = ['headers', 'cors', 'rateLimit', 'requestTimeout'];
const RATE_LIMIT_KEYS = [
  'enabled',
  'anonymous',
  'authenticated',
  'store',
  'keyPrefix',
  'onStoreError',
  'storeTimeoutMs',
  'excludePaths',
];

/**
 * Applies the defaults to `SecurityModule` options and validates them, once, at boot. Every
 * problem is collected and thrown together as one `KWIK_SECURITY_INVALID_OPTIONS` error.
 *
 * @param env the environment `CORS_ORIGINS` is read from when `cors.origins` is not given
 */
export function resolveSecurityOptions(
  options: SecurityModuleOptions | undefined,
  env: Record<string, string | undefined> = {},
): ResolvedSecurityOptions {
  const problems: string[] = [];
  const input: Partial<SecurityModuleOptions> = options ?? {};
  if (!isPlainObject(input))
    problems.push(`SecurityModule options must be an object (got ${describe(input)}).`);
  else checkKeys(input, TOP_LEVEL, 'SecurityModule options', problems);
  const requestTimeoutMs = input.requestTimeout ?? 30_000;
  if (!isWhole(requestTimeoutMs, 0))
    problems.push(
      `requestTimeout must be whole milliseconds ≥ 0 (0 disables), got ${describe(requestTimeoutMs)}.`,
    );
  const resolved: ResolvedSecurityOptions = {
    helmet: resolveHeaders(input.headers, problems),
    cors: resolveCors(input.cors, env.CORS_ORIGINS, problems),
    rateLimit: resolveRateLimit(input.rateLimit, problems),
    requestTimeoutMs,
  };
  if (problems.length > 0)
    throw new SecurityError(
      SecurityErrorCode.InvalidOptions,
      `Invalid SecurityModule options (README of @kwik/security lists every option):\n- ${problems.join('\n- ')}`,
    );
  return Object.freeze(resolved);
}

function resolveRateLimit(input: unknown, problems: string[]): ResolvedRateLimitOptions {
  if (input !== undefined && input !== false && !isPlainObject(input))
    problems.push(`rateLimit must be an object or false (got ${describe(input)}).`);
  const options = (isPlainObject(input) ? input : {}) as RateLimitModuleOptions;
  checkKeys(options, RATE_LIMIT_KEYS, 'rateLimit', problems);
  const enabled = input === false ? false : (options.enabled ?? true);
  if (typeof enabled !== 'boolean') problems.push(`rateLimit.enabled must be a boolean.`);
  const store = options.store ?? 'auto';
  if (!(store instanceof RateLimitStore) && !['auto', 'memory', 'redis'].includes(store as string))
    problems.push(
      `rateLimit.store must be 'auto', 'memory', 'redis' or a RateLimitStore instance (got ${describe(store)}).`,
    );
  const keyPrefix = options.keyPrefix ?? 'kwik:rl:';
  if (typeof keyPrefix !== 'string' || /\s/.test(keyPrefix))
    problems.push(`rateLimit.keyPrefix must be a string without spaces (got ${describe(keyPrefix)}).`);
  const onStoreError = options.onStoreError ?? 'open';
  if (onStoreError !== 'open' && onStoreError !== 'closed')
    problems.push(`rateLimit.onStoreError must be 'open' or 'closed' (got ${describe(onStoreError)}).`);
  const storeTimeoutMs = options.storeTimeoutMs ?? 1000;
  if (!isWhole(storeTimeoutMs, 1))
    problems.push(
      `rateLimit.storeTimeoutMs must be whole milliseconds ≥ 1 (got ${describe(storeTimeoutMs)}).`,
    );
  const excludePaths = options.excludePaths ?? ['/health'];
  if (!Array.isArray(excludePaths) || !excludePaths.every((p) => typeof p === 'string' && p.startsWith('/')))
    problems.push(
      `rateLimit.excludePaths must be a list of paths starting with '/' (got ${describe(excludePaths)}).`,
    );
  return Object.freeze({
    enabled: enabled === true,
    anonymous: resolveTier(options.anonymous, 'rateLimit.anonymous', DEFAULT_ANONYMOUS_TIER, problems),
    authenticated: resolveTier(
      options.authenticated,
      'rateLimit.authenticated',
      DEFAULT_AUTHENTICATED_TIER,
      problems,
    ),
    store,
    keyPrefix,
    onStoreError,
    storeTimeoutMs,
    excludePaths: Object.freeze([...excludePaths]),
  });
}

/** A tier: `false` (off), or a partial policy completed from the tier's defaults. */
function resolveTier(
  input: unknown,
  where: string,
  defaults: { limit: number; window: string; by: 'ip' | 'user'; name: string },
  problems: string[],
): ResolvedRateLimitPolicy | null {
  if (input === false) return null;
  if (input !== undefined && !isPlainObject(input)) {
    problems.push(
      `${where} must be an object { limit?, window?, by?, name? } or false (got ${describe(input)}).`,
    );
    return null;
  }
  const tier = { limit: defaults.limit, window: defaults.window, ...input };
  checkKeys(tier, ['limit', 'window', 'by', 'name'], where, problems);
  return resolvePolicy(tier, where, defaults, problems) ?? null;
}
