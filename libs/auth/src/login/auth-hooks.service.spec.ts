import { describe, expect, it } from 'vitest';
import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../users/user-accounts.service.js';
import { AuthHooks, type UserRegisteredEvent } from './auth-hooks.service.js';

const event: UserRegisteredEvent = {
  user: { id: 'u1', email: 'a@b.c' } as AuthUser,
  manager: {} as EntityManager,
};

describe('AuthHooks', () => {
  it('runs onRegistered hooks one after the other, in registration order, with the event', async () => {
    const hooks = new AuthHooks();
    const seen: string[] = [];
    hooks.register({
      name: 'first',
      onRegistered: async (e) => {
        await Promise.resolve();
        seen.push(`first:${e.user.id}`);
      },
    });
    hooks.register({ name: 'no-registration-member' });
    hooks.register({ name: 'second', onRegistered: (e) => void seen.push(`second:${e.user.email}`) });
    await hooks.registered(event);
    expect(seen).toEqual(['first:u1', 'second:a@b.c']);
    expect(hooks.list().map((h) => h.name)).toEqual(['first', 'no-registration-member', 'second']);
  });

  it('replaces a hook registered again under its name, and removes one through the returned function', async () => {
    const hooks = new AuthHooks();
    const seen: string[] = [];
    const removeOld = hooks.register({ name: 'welcome', onRegistered: () => void seen.push('old') });
    hooks.register({ name: 'welcome', onRegistered: () => void seen.push('new') });
    removeOld(); // no longer the registered one: a no-op
    await hooks.registered(event);
    expect(seen).toEqual(['new']);
    const remove = hooks.register({ name: 'other', onRegistered: () => void seen.push('other') });
    remove();
    await hooks.registered(event);
    expect(seen).toEqual(['new', 'new']);
  });

  it('stops at the first hook that throws and rethrows its error', async () => {
    const hooks = new AuthHooks();
    const seen: string[] = [];
    hooks.register({
      name: 'refuse',
      onRegistered: () => {
        throw new Error('no thanks');
      },
    });
    hooks.register({ name: 'later', onRegistered: () => void seen.push('later') });
    await expect(hooks.registered(event)).rejects.toThrow('no thanks');
    expect(seen).toEqual([]);
  });
});
