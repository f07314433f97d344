import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff.js';

const plain = { ...DEFAULT_BACKOFF, jitter: false, maxDelayMs: 60_000 };

describe('backoffDelay', () => {
  it.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [6, 32_000],
    [7, 60_000],
    [500, 60_000],
  ])('exponential: after attempt %i waits %i ms', (attempt, ms) => {
    expect(backoffDelay(attempt, plain)).toBe(ms);
  });

  it('fixed waits the same every time', () => {
    expect([1, 2, 9].map((a) => backoffDelay(a, { ...plain, type: 'fixed', delayMs: 250 }))).toEqual([
      250, 250, 250,
    ]);
  });

  it.each([
    [0, 2000],
    [0.5, 3000],
    [1, 4000],
  ])('jitter spreads a 4 s delay over [2 s, 4 s] (random %f → %i ms)', (r, ms) => {
    expect(backoffDelay(3, { ...plain, jitter: true }, () => r)).toBe(ms);
  });
});
