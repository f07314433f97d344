import { describe, expect, it } from 'vitest';
import { parseWindow, resolvePolicy } from './rate-limit-policy.js';

describe('parseWindow', () => {
  it.each([
    [1000, 1000],
    [60_000, 60_000],
    ['1s', 1000],
    ['30s', 30_000],
    ['1m', 60_000],
    ['15m', 900_000],
    ['1h', 3_600_000],
    ['1d', 86_400_000],
    [' 2m ', 120_000],
  ])('%j → %d ms', (input, ms) => {
    expect(parseWindow(input)).toBe(ms);
  });

  it.each([
    ['sub-second', 999],
    ['not whole seconds', 1500],
    ['zero', 0],
    ['negative', -1000],
    ['fraction', 1000.5],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a bare number string', '60'],
    ['milliseconds unit', '500ms'],
    ['unknown unit', '1w'],
    ['decimal', '1.5m'],
    ['zero duration', '0s'],
    ['empty', ''],
    ['an object', { minutes: 1 }],
    ['undefined', undefined],
  ])('rejects %s (%j)', (_name, input) => {
    expect(parseWindow(input)).toBeUndefined();
  });
});

const by = () => 'team-1';

describe('resolvePolicy', () => {
  const defaults = { name: 'default', by: 'user' } as const;

  it('fills in the defaults and precomputes the RateLimit-Policy header', () => {
    const problems: string[] = [];
    const policy = resolvePolicy({ limit: 5, window: '1m' }, '@RateLimit()', defaults, problems);
    expect(problems).toEqual([]);
    expect(policy).toEqual({
      name: 'default',
      limit: 5,
      windowMs: 60_000,
      by: 'user',
      policyHeader: '"default";q=5;w=60',
    });
    expect(Object.isFrozen(policy)).toBe(true);
  });

  it('keeps a tracker function', () => {
    expect(resolvePolicy({ limit: 1, window: 1000, by }, 'p', defaults, [])?.by).toBe(by);
  });

  it('lists every problem of one policy, prefixed with where it is', () => {
    const problems: string[] = [];
    const policy = resolvePolicy(
      { limit: 0, window: '90ms', by: 'email', name: 'has space' },
      'rateLimit.anonymous',
      defaults,
      problems,
    );
    expect(policy).toBeUndefined();
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/^rateLimit\.anonymous\.limit must be a whole number ≥ 1 \(got 0\)/);
    expect(problems[1]).toMatch(/^rateLimit\.anonymous\.window must be whole seconds.*got "90ms"/);
    expect(problems[2]).toMatch(/^rateLimit\.anonymous\.by must be 'ip', 'user', 'apiKey' or a function/);
    expect(problems[3]).toMatch(/^rateLimit\.anonymous\.name must be 1-64 letters/);
  });

  it.each([null, 5, 'fast', [1]])('rejects a policy that is not an object (%j)', (input) => {
    const problems: string[] = [];
    expect(resolvePolicy(input, 'p', defaults, problems)).toBeUndefined();
    expect(problems[0]).toMatch(/^p must be an object \{ limit, window, by\?, name\? \}/);
  });
});
