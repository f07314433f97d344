import { describe, expect, it } from 'vitest';
import { loginThrottleScenarios } from '../login-throttle-scenarios.fixture.js';
import { DEFAULT_ACCOUNT_THROTTLE } from '../login-throttle.js';
import { MemoryLoginThrottleStore } from './memory-login-throttle.store.js';

const T0 = Date.UTC(2030, 0, 1);
const rule = DEFAULT_ACCOUNT_THROTTLE;

describe('MemoryLoginThrottleStore', () => {
  describe('login throttle policy', () => {
    loginThrottleScenarios(() => new MemoryLoginThrottleStore());
  });

  it('forgets an expired key when it is read', async () => {
    const store = new MemoryLoginThrottleStore();
    expect(await store.hit('account:a', rule, T0)).toEqual({ failures: 1, lockedUntil: 0 });
    expect(await store.get('account:a', T0 + 899_999)).toEqual({ failures: 1, lockedUntil: 0 });
    expect(await store.get('account:a', T0 + 900_000)).toEqual({ failures: 0, lockedUntil: 0 });
    expect(store.size).toBe(0);
  });

  it('sweeps expired keys when full, before evicting live ones', async () => {
    const store = new MemoryLoginThrottleStore({ maxEntries: 3 });
    await store.hit('old-1', rule, T0);
    await store.hit('old-2', rule, T0);
    await store.hit('live', rule, T0 + 600_000);
    await store.hit('new', rule, T0 + 950_000);
    expect(store.size).toBe(2);
    expect(await store.get('live', T0 + 950_000)).toEqual({ failures: 1, lockedUntil: 0 });
  });

  it('evicts the least recently failed keys when full of live ones', async () => {
    const store = new MemoryLoginThrottleStore({ maxEntries: 2 });
    await store.hit('a', rule, T0);
    await store.hit('b', rule, T0);
    await store.hit('a', rule, T0 + 1);
    await store.hit('c', rule, T0 + 2);
    expect(store.size).toBe(2);
    expect((await store.get('a', T0 + 3)).failures).toBe(2);
    expect((await store.get('b', T0 + 3)).failures).toBe(0);
    expect((await store.get('c', T0 + 3)).failures).toBe(1);
  });

  it('refuses a bad maxEntries', () => {
    expect(() => new MemoryLoginThrottleStore({ maxEntries: 0 })).toThrow(
      expect.objectContaining({ code: 'KWIK_AUTH_INVALID_OPTIONS' }),
    );
  });
});
