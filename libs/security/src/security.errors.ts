import { KwikError } from '@kwik/core';

/** Stable codes of the errors `@kwik/security` throws at boot or on misuse (listed in `docs/errors.md`). */
export const SecurityErrorCode = {
  /** An option of `SecurityModule` (or a `@RateLimit()` / `@RequestTimeout()` argument) is invalid. */
  InvalidOptions: 'KWIK_SECURITY_INVALID_OPTIONS',
  /** `rateLimit.store: 'redis'` was chosen but the app has no Redis client. */
  RedisMissing: 'KWIK_SECURITY_REDIS_MISSING',
  /** `SecurityModule` was used with an HTTP adapter other than Fastify. */
  FastifyRequired: 'KWIK_SECURITY_FASTIFY_REQUIRED',
} as const;

export type SecurityErrorCodeValue = (typeof SecurityErrorCode)[keyof typeof SecurityErrorCode];

/**
 * A misconfiguration of `@kwik/security`; the message says how to fix it.
 *
 * @example
 * try { await createKwikApp(AppModule); }
 * catch (e) { if (e instanceof SecurityError && e.code === 'KWIK_SECURITY_INVALID_OPTIONS') ... }
 */
export class SecurityError extends KwikError {
  declare readonly code: SecurityErrorCodeValue;

  constructor(code: SecurityErrorCodeValue, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'SecurityError';
  }
}
