import { describe, expect, it } from 'vitest';
import { formatPolicyHeader, formatRateLimitHeader, retryAfterSeconds } from './ratelimit-headers.js';

describe('RateLimit header values', () => {
  it.each([
    ['default', 100, 60_000, '"default";q=100;w=60'],
    ['anonymous', 1, 1000, '"anonymous";q=1;w=1'],
    ['login', 5, 3_600_000, '"login";q=5;w=3600'],
  ])('RateLimit-Policy of %s: %d per %d ms', (name, limit, windowMs, expected) => {
    expect(formatPolicyHeader(name, limit, windowMs)).toBe(expected);
  });

  it.each([
    [4, 59_200, '"default";r=4;t=60'],
    [0, 1, '"default";r=0;t=1'],
    [0, 0, '"default";r=0;t=0'],
    [3, 60_000, '"default";r=3;t=60'],
    [-1, -5, '"default";r=0;t=0'],
  ])('RateLimit with %d remaining, reset in %d ms', (remaining, resetMs, expected) => {
    expect(formatRateLimitHeader('default', remaining, resetMs)).toBe(expected);
  });

  it.each([
    [0, 1],
    [1, 1],
    [999, 1],
    [1000, 1],
    [1001, 2],
    [59_999, 60],
  ])('Retry-After for a reset in %d ms is %d s (never 0)', (resetMs, seconds) => {
    expect(retryAfterSeconds(resetMs)).toBe(seconds);
  });
});
