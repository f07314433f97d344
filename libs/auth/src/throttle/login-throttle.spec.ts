import { describe, expect, it } from 'vitest';
import { MemoryLoginThrottleStore } from './drivers/memory-login-throttle.store.js';
import { LoginThrottle } from './login-throttle.js';

describe('LoginThrottle', () => {
  it('keys long account values by their hash, so they still add up', async () => {
    const store = new MemoryLoginThrottleStore();
    const throttle = new LoginThrottle(store, { now: () => 0 });
    const huge = `${'x'.repeat(10_000)}@acme.test`;
    for (let i = 0; i < 5; i++) await throttle.recordFailure({ account: huge });
    expect(await throttle.check({ account: huge.toUpperCase() })).toMatchObject({ allowed: false });
    expect(await store.get(`account:${huge}`, 0)).toEqual({ failures: 0, lockedUntil: 0 });
  });

  it.each([
    ['a zero maxFailures', { account: { maxFailures: 0 } }, 'account" rule: maxFailures 0'],
    ['a fractional window', { ip: { windowSeconds: 1.5 } }, 'ip" rule: windowSeconds 1.5'],
    [
      'a max lock below the first lock',
      { account: { lockSeconds: 60, maxLockSeconds: 30 } },
      'maxLockSeconds 30',
    ],
  ])('refuses %s', (_, options, hint) => {
    expect(() => new LoginThrottle(new MemoryLoginThrottleStore(), options)).toThrow(
      expect.objectContaining({ code: 'KWIK_AUTH_INVALID_OPTIONS', message: expect.stringContaining(hint) }),
    );
  });
});
