import type { RateLimitBy, RateLimitPolicy } from '../security-options.interface.js';
import { describe } from '../options/option-checks.js';
import { formatPolicyHeader } from './ratelimit-headers.js';

/** A validated rate-limit policy, ready for the guard. */
export interface ResolvedRateLimitPolicy {
  readonly name: string;
  readonly limit: number;
  readonly windowMs: number;
  readonly by: RateLimitBy;
  /** The `RateLimit-Policy` header value, computed once. */
  readonly policyHeader: string;
}

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^(\d+)(s|m|h|d)$/;
const POLICY_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const BY_VALUES = ['ip', 'user', 'apiKey'];

/**
 * Milliseconds of a window: a number of ms, or `'<n>s' | '<n>m' | '<n>h' | '<n>d'`. `undefined`
 * when the value is not one, or is not a whole number of seconds of at least one second (the
 * `RateLimit-Policy` header counts in seconds).
 *
 * @example
 * parseWindow('1m'); // 60000
 * parseWindow(1500); // undefined
 */
export function parseWindow(value: unknown): number | undefined {
  let ms: number | undefined;
  if (typeof value === 'number') ms = value;
  else if (typeof value === 'string') {
    const match = DURATION.exec(value.trim());
    if (match) ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  }
  if (ms === undefined || !Number.isSafeInteger(ms) || ms < 1000 || ms % 1000 !== 0) return undefined;
  return ms;
}

/**
 * Validates one policy, pushing a line per problem (prefixed with `where`) into `problems`.
 * Returns the resolved policy, or `undefined` when it has problems.
 */
export function resolvePolicy(
  input: unknown,
  where: string,
  defaults: { name: string; by: RateLimitBy },
  problems: string[],
): ResolvedRateLimitPolicy | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    problems.push(`${where} must be an object { limit, window, by?, name? } (got ${describe(input)}).`);
    return undefined;
  }
  const policy = input as Partial<RateLimitPolicy>;
  const before = problems.length;
  const { limit } = policy;
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1)
    problems.push(`${where}.limit must be a whole number ≥ 1 (got ${describe(limit)}).`);
  const windowMs = parseWindow(policy.window);
  if (windowMs === undefined)
    problems.push(
      `${where}.window must be whole seconds, at least 1: milliseconds (60000) or '30s' / '1m' / '1h' / '1d' (got ${describe(policy.window)}).`,
    );
  const by = policy.by ?? defaults.by;
  if (typeof by !== 'function' && !BY_VALUES.includes(by as string))
    problems.push(`${where}.by must be 'ip', 'user', 'apiKey' or a function (got ${describe(by)}).`);
  const name = policy.name ?? defaults.name;
  if (typeof name !== 'string' || !POLICY_NAME.test(name))
    problems.push(`${where}.name must be 1-64 letters, digits, '-', '_' or '.' (got ${describe(name)}).`);
  if (problems.length > before) return undefined;
  return Object.freeze({
    name,
    limit: limit as number,
    windowMs: windowMs as number,
    by,
    policyHeader: formatPolicyHeader(name, limit as number, windowMs as number),
  });
}
