/**
 * Header values of the IETF httpapi RateLimit fields (draft-ietf-httpapi-ratelimit-headers,
 * structured-field form) and `Retry-After`.
 */

/**
 * `RateLimit-Policy: "<name>";q=<limit>;w=<window seconds>`.
 *
 * @example
 * formatPolicyHeader('default', 100, 60_000); // '"default";q=100;w=60'
 */
export function formatPolicyHeader(name: string, limit: number, windowMs: number): string {
  return `"${name}";q=${limit};w=${Math.ceil(windowMs / 1000)}`;
}

/**
 * `RateLimit: "<name>";r=<remaining>;t=<seconds until reset>` (`t` rounded up, so a client that
 * waits `t` seconds always finds quota again).
 *
 * @example
 * formatRateLimitHeader('default', 4, 59_200); // '"default";r=4;t=60'
 */
export function formatRateLimitHeader(name: string, remaining: number, resetMs: number): string {
  return `"${name}";r=${Math.max(0, remaining)};t=${Math.max(0, Math.ceil(resetMs / 1000))}`;
}

/**
 * `Retry-After` in whole seconds, at least 1.
 *
 * @example
 * retryAfterSeconds(200); // 1
 */
export function retryAfterSeconds(resetMs: number): number {
  return Math.max(1, Math.ceil(resetMs / 1000));
}
