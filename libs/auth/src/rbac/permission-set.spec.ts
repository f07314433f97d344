import { describe, expect, it } from 'vitest';
import { PermissionSet, type OwnershipContext } from './permission-set.js';

const MINE: OwnershipContext = { ownerId: 'u1', principalId: 'u1' };
const THEIRS: OwnershipContext = { ownerId: 'u2', principalId: 'u1' };

describe('PermissionSet', () => {
  it.each<[string, string[], string, OwnershipContext | undefined, boolean]>([
    ['the exact permission', ['posts:update'], 'posts:update', undefined, true],
    ['the resource wildcard', ['posts:*'], 'posts:update', undefined, true],
    ['everything', ['*'], 'comments:moderate', undefined, true],
    ['another action', ['posts:read'], 'posts:update', undefined, false],
    ['another resource wildcard', ['comments:*'], 'posts:update', undefined, false],
    ['a resource whose name starts the same', ['post:*'], 'posts:update', undefined, false],
    [':own for the owner', ['posts:update:own'], 'posts:update', MINE, true],
    [':own for someone else', ['posts:update:own'], 'posts:update', THEIRS, false],
    [':own without ownership facts', ['posts:update:own'], 'posts:update', undefined, false],
    [
      ':own with an unknown owner',
      ['posts:update:own'],
      'posts:update',
      { ownerId: null, principalId: 'u1' },
      false,
    ],
    [':own with no principal', ['posts:update:own'], 'posts:update', { ownerId: 'u1' }, false],
    [':own with empty ids', ['posts:update:own'], 'posts:update', { ownerId: '', principalId: '' }, false],
    [':own on another action', ['posts:update:own'], 'posts:delete', MINE, false],
    ['*:own for the owner', ['posts:*:own'], 'posts:delete', MINE, true],
    ['*:own for someone else', ['posts:*:own'], 'posts:delete', THEIRS, false],
    [
      'the full permission over :own, for someone else',
      ['posts:update:own', 'posts:update'],
      'posts:update',
      THEIRS,
      true,
    ],
    ['no permissions at all', [], 'posts:read', undefined, false],
  ])('%s → %s', (_, granted, required, ownership, expected) => {
    expect(PermissionSet.from(granted).allows(required, ownership)).toBe(expected);
  });

  it.each([
    [['posts:update:own'], 'posts:update', 'own', true],
    [['posts:*:own'], 'posts:publish', 'own', true],
    [['posts:update:own', 'posts:*'], 'posts:update', 'all', false],
    [['posts:update'], 'posts:update', 'all', false],
    [['*'], 'posts:update', 'all', false],
    [['posts:read'], 'posts:update', 'none', false],
  ])('%j grants %s with scope %s (own only: %s)', (granted, required, scope, ownOnly) => {
    const set = PermissionSet.from(granted);
    expect(set.scopeOf(required)).toBe(scope);
    expect(set.allowsOwnOnly(required)).toBe(ownOnly);
  });

  it('lists its permissions sorted and deduplicated', () => {
    expect(PermissionSet.from(['posts:read', 'comments:read', 'posts:read']).permissions).toEqual([
      'comments:read',
      'posts:read',
    ]);
  });

  it('refuses invalid permission strings', () => {
    expect(() => PermissionSet.from(['posts:read', 'Posts:Write'])).toThrow(
      expect.objectContaining({ code: 'KWIK_AUTH_INVALID_PERMISSION' }),
    );
  });
});
