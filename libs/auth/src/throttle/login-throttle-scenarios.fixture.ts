import { expect, it } from 'vitest';
import { LoginThrottle, type LoginThrottleOptions } from './login-throttle.js';
import type { LoginThrottleStore } from './login-throttle.store.js';

/** A settable clock, starting at 2030-01-01T00:00:00Z. */
export class TestClock {
  ms = Date.UTC(2030, 0, 1);
  readonly now = (): number => this.ms;
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

async function fail(t: LoginThrottle, times: number, attempt: { account: string; ip?: string }) {
  for (let i = 0; i < times; i++) await t.recordFailure(attempt);
}

/**
 * The policy scenarios every {@link LoginThrottleStore} driver must pass, run by the memory
 * driver's unit spec and the Redis e2e spec. `store()` returns the driver under test.
 */
export function loginThrottleScenarios(store: () => LoginThrottleStore): void {
  let clock: TestClock;
  const throttle = (options: LoginThrottleOptions = {}) => {
    clock = new TestClock();
    return new LoginThrottle(store(), { now: clock.now, ...options });
  };
  const ann = { account: 'ann@acme.test', ip: '203.0.113.7' };

  it('allows four failures, locks the account on the fifth for 30 s, then allows again', async () => {
    const t = throttle();
    await fail(t, 4, ann);
    expect(await t.check(ann)).toEqual({ allowed: true });
    expect(await t.recordFailure(ann)).toEqual({ allowed: false, retryAfterSeconds: 30, scope: 'account' });
    clock.advance(10);
    expect(await t.check(ann)).toEqual({ allowed: false, retryAfterSeconds: 20, scope: 'account' });
    expect(await t.check({ account: ann.account, ip: '198.51.100.1' })).toMatchObject({ allowed: false });
    clock.advance(20);
    expect(await t.check(ann)).toEqual({ allowed: true });
  });

  it('doubles the lock with each further failure, up to 15 minutes', async () => {
    const t = throttle();
    await fail(t, 4, ann);
    const locks: number[] = [];
    for (let i = 0; i < 8; i++) {
      const decision = await t.recordFailure(ann);
      if (decision.allowed) throw new Error('expected a lock');
      locks.push(decision.retryAfterSeconds);
      clock.advance(decision.retryAfterSeconds);
    }
    expect(locks).toEqual([30, 60, 120, 240, 480, 900, 900, 900]);
  });

  it('forgets failures 15 minutes after the first one when no lock was reached', async () => {
    const t = throttle();
    await fail(t, 4, ann);
    clock.advance(900);
    await fail(t, 4, ann);
    expect(await t.check(ann)).toEqual({ allowed: true });
    expect((await t.recordFailure(ann)).allowed).toBe(false);
  });

  it('keeps counting for 15 minutes after a lock ends, then starts over', async () => {
    const t = throttle();
    await fail(t, 5, ann);
    clock.advance(30 + 899);
    expect(await t.recordFailure(ann)).toMatchObject({ retryAfterSeconds: 60 });
    clock.advance(60 + 900);
    await fail(t, 4, ann);
    expect(await t.check(ann)).toEqual({ allowed: true });
  });

  it('clears the account on a successful login', async () => {
    const t = throttle();
    await fail(t, 4, ann);
    await t.recordSuccess({ account: ann.account });
    await fail(t, 4, ann);
    expect(await t.check(ann)).toEqual({ allowed: true });
  });

  it('treats the account case- and whitespace-insensitively', async () => {
    const t = throttle();
    await fail(t, 3, { account: 'Ann@Acme.TEST', ip: ann.ip });
    await fail(t, 2, { account: '  ann@acme.test ', ip: ann.ip });
    expect((await t.check(ann)).allowed).toBe(false);
    await t.recordSuccess({ account: 'ANN@acme.test' });
    expect(await t.check(ann)).toEqual({ allowed: true });
  });

  it('locks an IP for 15 minutes after 50 failures across accounts, without touching other IPs', async () => {
    const t = throttle();
    for (let i = 0; i < 49; i++) await t.recordFailure({ account: `user${i}@acme.test`, ip: ann.ip });
    expect(await t.check(ann)).toEqual({ allowed: true });
    expect(await t.recordFailure({ account: 'user49@acme.test', ip: ann.ip })).toEqual({
      allowed: false,
      retryAfterSeconds: 900,
      scope: 'ip',
    });
    expect(await t.check(ann)).toEqual({ allowed: false, retryAfterSeconds: 900, scope: 'ip' });
    expect(await t.check({ account: ann.account, ip: '198.51.100.1' })).toEqual({ allowed: true });
    await t.recordSuccess({ account: 'user1@acme.test' });
    expect((await t.check(ann)).allowed).toBe(false);
    clock.advance(900);
    expect(await t.check(ann)).toEqual({ allowed: true });
  });

  it('reports the longer wait when both the account and the IP are locked', async () => {
    const t = throttle({ ip: { maxFailures: 5, lockSeconds: 120, maxLockSeconds: 120 } });
    await fail(t, 4, ann);
    expect(await t.recordFailure(ann)).toEqual({
      allowed: false,
      retryAfterSeconds: 120,
      scope: 'ip',
    });
    clock.advance(100);
    expect(await t.check(ann)).toEqual({ allowed: false, retryAfterSeconds: 20, scope: 'ip' });
    clock.advance(20);
    expect(await t.check(ann)).toEqual({ allowed: true });
  });

  it('throttles the account alone when the IP is unknown', async () => {
    const t = throttle({ ip: { maxFailures: 1 } });
    await fail(t, 5, { account: ann.account });
    expect(await t.check({ account: ann.account })).toMatchObject({ allowed: false, scope: 'account' });
    expect(await t.check({ account: 'bob@acme.test', ip: ann.ip })).toEqual({ allowed: true });
  });

  it('applies custom rules', async () => {
    const t = throttle({ account: { maxFailures: 2, lockSeconds: 5, maxLockSeconds: 7 } });
    await t.recordFailure(ann);
    expect(await t.recordFailure(ann)).toMatchObject({ retryAfterSeconds: 5 });
    clock.advance(5);
    expect(await t.recordFailure(ann)).toMatchObject({ retryAfterSeconds: 7 });
  });
}
