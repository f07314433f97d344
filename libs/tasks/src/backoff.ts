import type { BackoffOptions } from './tasks-options.interface.js';

/** Backoff with every default applied. */
export type ResolvedBackoff = Required<BackoffOptions>;

export const DEFAULT_BACKOFF: ResolvedBackoff = {
  type: 'exponential',
  delayMs: 1000,
  maxDelayMs: 3_600_000,
  jitter: true,
};

/**
 * How long to wait before the attempt after `attempt` (1-based: the attempt that just failed).
 * Exponential: delay × 2^(attempt−1), capped; with jitter, uniformly in [d/2, d] ("equal jitter"),
 * so a burst of failures spreads out instead of retrying in step.
 *
 * @example
 * backoffDelay(3, { type: 'exponential', delayMs: 1000, maxDelayMs: 60000, jitter: false }); // 4000
 */
export function backoffDelay(
  attempt: number,
  backoff: ResolvedBackoff,
  random: () => number = Math.random,
): number {
  const steps = Math.max(0, Math.min(attempt - 1, 52));
  const raw = backoff.type === 'fixed' ? backoff.delayMs : backoff.delayMs * 2 ** steps;
  const capped = Math.min(raw, backoff.maxDelayMs);
  if (!backoff.jitter) return Math.round(capped);
  return Math.round(capped / 2 + random() * (capped / 2));
}
