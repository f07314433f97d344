import { CacheError, CacheErrorCode } from './cache.errors.js';

/**
 * A length of time with its unit spelled out: `'500ms'`, `'30s'`, `'5m'`, `'2h'`, `'1d'`, or an
 * object (`{ seconds: 30 }`, `{ milliseconds: 250 }`). Bare numbers are refused on purpose: the
 * unit of a bare number changed between cache-manager majors and differed between stores.
 */
export type Duration =
  | `${number}${'ms' | 's' | 'm' | 'h' | 'd'}`
  | { readonly seconds: number }
  | { readonly milliseconds: number };

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const PATTERN = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

/**
 * The duration in milliseconds; throws `KWIK_CACHE_INVALID_DURATION` naming `what` when it is not
 * a positive duration with a unit (zero is accepted only when `allowZero`).
 *
 * @example
 * toMilliseconds('5m', 'ttl') // 300000
 */
export function toMilliseconds(duration: Duration, what: string, allowZero = false): number {
  let ms: number | undefined;
  if (typeof duration === 'string') {
    const match = PATTERN.exec(duration.trim());
    if (match) ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  } else if (duration !== null && typeof duration === 'object') {
    if ('seconds' in duration && typeof duration.seconds === 'number') ms = duration.seconds * 1000;
    else if ('milliseconds' in duration && typeof duration.milliseconds === 'number')
      ms = duration.milliseconds;
  }
  // Checked after rounding: '0.4ms' would otherwise become a TTL of 0, which stores read as "never expires".
  if (ms !== undefined) ms = Math.round(ms);
  if (ms === undefined || !Number.isFinite(ms) || ms < 0 || (ms === 0 && !allowZero)) {
    throw new CacheError(
      CacheErrorCode.InvalidDuration,
      `${what} must be a ${allowZero ? '' : 'positive '}duration with a unit ('30s', '5m', '1h', '500ms') or { seconds: n }; got ${JSON.stringify(duration)}. Bare numbers are refused because their unit would be a guess.`,
    );
  }
  return ms;
}
