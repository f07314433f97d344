import { describe, expect, it } from 'vitest';
import { CacheError } from './cache.errors.js';
import { toMilliseconds, type Duration } from './duration.js';

/** The `CacheError` that `toMilliseconds` threw (fails the test when it threw nothing else). */
function rejection(duration: unknown, what = '@Cache() ttl', allowZero = false): CacheError {
  let thrown: unknown;
  try {
    toMilliseconds(duration as Duration, what, allowZero);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(CacheError);
  return thrown as CacheError;
}

describe('toMilliseconds', () => {
  it.each<[Duration, number]>([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1d', 86_400_000],
    ['1.5s', 1500],
    ['0.25m', 15_000],
    [{ seconds: 30 }, 30_000],
    [{ seconds: 0.5 }, 500],
    [{ milliseconds: 250 }, 250],
  ])('reads %j as %i ms', (duration, ms) => {
    expect(toMilliseconds(duration, 'ttl')).toBe(ms);
  });

  it.each<[string, unknown]>([
    ['a bare number', 300],
    ['a number in a string', '5'],
    ['a spelled-out unit', '5 minutes'],
    ['an upper-case unit', '5M'],
    ['an unknown unit', '2w'],
    ['exponent notation', '1e3ms'],
    ['an empty string', ''],
    ['a negative string', '-5s'],
    ['negative seconds', { seconds: -1 }],
    ['negative milliseconds', { milliseconds: -250 }],
    ['zero', '0s'],
    ['zero seconds', { seconds: 0 }],
    ['less than a millisecond', '0.4ms'],
    ['NaN', Number.NaN],
    ['NaN seconds', { seconds: Number.NaN }],
    ['infinite seconds', { seconds: Number.POSITIVE_INFINITY }],
    ['seconds as a string', { seconds: '30' }],
    ['an object without a unit', { minutes: 5 }],
    ['null', null],
    ['undefined', undefined],
  ])('refuses %s with KWIK_CACHE_INVALID_DURATION', (_label, duration) => {
    const error = rejection(duration);
    expect(error?.code).toBe('KWIK_CACHE_INVALID_DURATION');
  });

  it('names the option and the offending value, and says how to write it', () => {
    const error = rejection('5 minutes', 'CacheModule defaultTtl');
    expect(error?.message).toContain('CacheModule defaultTtl');
    expect(error?.message).toContain('"5 minutes"');
    expect(error?.message).toMatch(/'30s', '5m'/);
  });

  it.each<[Duration, number]>([
    ['0s', 0],
    ['0ms', 0],
    [{ milliseconds: 0 }, 0],
    ['2s', 2000],
  ])('accepts %j as %i ms when zero is allowed', (duration, ms) => {
    expect(toMilliseconds(duration, '@Cache() staleWhileRevalidate', true)).toBe(ms);
  });

  it('still refuses a negative duration when zero is allowed', () => {
    expect(rejection('-1s', '@Cache() staleWhileRevalidate', true)?.code).toBe('KWIK_CACHE_INVALID_DURATION');
  });
});
