import { describe, expect, it } from 'vitest';
import { DatabaseSessionScope, type DatabaseSessionSettings } from './database-session-scope.js';
import { DatabaseErrorCode } from './database.errors.js';

const acme: DatabaseSessionSettings = Object.freeze({
  settings: Object.freeze({ 'kwik.tenant_id': 'acme' }),
});

describe('DatabaseSessionScope', () => {
  it('answers undefined until a provider is registered, then asks it on every call', () => {
    const scope = new DatabaseSessionScope();
    expect(scope.current()).toBeUndefined();
    let calls = 0;
    scope.use(() => {
      calls += 1;
      return acme;
    });
    expect([scope.current(), scope.current()]).toEqual([acme, acme]);
    expect(calls).toBe(2);
  });

  it('refuses a second provider', () => {
    const scope = new DatabaseSessionScope();
    scope.use(() => acme);
    expect(() => scope.use(() => undefined)).toThrow(
      expect.objectContaining({ code: DatabaseErrorCode.SessionScopeInUse }),
    );
    expect(scope.current()).toBe(acme);
  });

  it('ignores the provider inside runUnscoped(), across awaits, and only there', async () => {
    const scope = new DatabaseSessionScope();
    scope.use(() => acme);
    const inside = await scope.runUnscoped(async () => {
      await Promise.resolve();
      return scope.current();
    });
    expect(inside).toBeUndefined();
    expect(scope.runUnscoped(() => 42)).toBe(42);
    expect(scope.current()).toBe(acme);
  });
});
