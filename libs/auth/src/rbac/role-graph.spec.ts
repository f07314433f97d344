import { KwikError } from '@kwik/core';
import { describe, expect, it } from 'vitest';
import { RoleGraph, type RoleDefinitions } from './role-graph.js';

const DEMO_ROLES: RoleDefinitions = {
  reader: { permissions: ['posts:read', 'comments:read'], description: 'Reads posts and comments' },
  author: { inherits: ['reader'], permissions: ['posts:create', 'posts:update:own', 'comments:create'] },
  editor: { inherits: ['author'], permissions: ['posts:update', 'posts:publish', 'comments:moderate'] },
  admin: { permissions: ['*'] },
};

function rolesError(definitions: RoleDefinitions): KwikError {
  let error: unknown;
  let graph: RoleGraph | undefined;
  try {
    graph = new RoleGraph(definitions);
  } catch (e) {
    error = e;
  }
  expect(graph).toBeUndefined();
  expect(error).toBeInstanceOf(KwikError);
  expect((error as KwikError).code).toBe('KWIK_AUTH_INVALID_ROLES');
  return error as KwikError;
}

describe('RoleGraph', () => {
  const graph = new RoleGraph(DEMO_ROLES);

  it.each([
    ['reader', ['comments:read', 'posts:read']],
    ['author', ['comments:create', 'comments:read', 'posts:create', 'posts:read', 'posts:update:own']],
    [
      'editor',
      [
        'comments:create',
        'comments:moderate',
        'comments:read',
        'posts:create',
        'posts:publish',
        'posts:read',
        'posts:update',
        'posts:update:own',
      ],
    ],
    ['admin', ['*']],
    ['ghost', []],
  ])('gives %s its own and inherited permissions', (role, expected) => {
    expect(graph.effectivePermissions(role)).toEqual(expected);
  });

  it.each<[string[], string, { ownerId?: string; principalId?: string } | undefined, boolean]>([
    [['reader'], 'posts:read', undefined, true],
    [['reader'], 'posts:create', undefined, false],
    [['author'], 'posts:update', { ownerId: 'u1', principalId: 'u1' }, true],
    [['author'], 'posts:update', { ownerId: 'u2', principalId: 'u1' }, false],
    [['editor'], 'posts:update', { ownerId: 'u2', principalId: 'u1' }, true],
    [['editor'], 'users:delete', undefined, false],
    [['admin'], 'users:delete', undefined, true],
    [['reader', 'editor'], 'comments:moderate', undefined, true],
    [['removed-role', 'reader'], 'posts:read', undefined, true],
    [[], 'posts:read', undefined, false],
  ])('roles %j: %s (%j) → %s', (roles, required, ownership, expected) => {
    expect(graph.permissionsOf(roles).allows(required, ownership)).toBe(expected);
  });

  it('tells when an author may only update their own posts', () => {
    expect(graph.permissionsOf(['author']).allowsOwnOnly('posts:update')).toBe(true);
    expect(graph.permissionsOf(['author', 'editor']).allowsOwnOnly('posts:update')).toBe(false);
  });

  it('caches the permission set per role combination, whatever the order or duplicates', () => {
    const first = graph.permissionsOf(['editor', 'reader']);
    expect(graph.permissionsOf(['reader', 'editor', 'reader'])).toBe(first);
    expect(graph.permissionsOf(['reader', 'editor', 'removed-role'])).toBe(first);
    expect(graph.permissionsOf(['reader'])).not.toBe(first);
  });

  it.each([
    ['reader', ['reader', 'author', 'editor']],
    ['author', ['author', 'editor']],
    ['editor', ['editor']],
    ['admin', ['admin']],
    ['ghost', []],
  ])('lists the roles including %s', (role, expected) => {
    expect(graph.rolesIncluding(role)).toEqual(expected);
  });

  it('lists the roles, their descriptions and their inherited roles', () => {
    expect(graph.roles).toEqual(['reader', 'author', 'editor', 'admin']);
    expect(graph.has('editor')).toBe(true);
    expect(graph.has('ghost')).toBe(false);
    expect(graph.descriptionOf('reader')).toBe('Reads posts and comments');
    expect(graph.inheritedRoles('editor').sort()).toEqual(['author', 'reader']);
    expect(graph.inheritedRoles('admin')).toEqual([]);
    expect(graph.inheritsFrom('editor', 'reader')).toBe(true);
    expect(graph.inheritsFrom('reader', 'editor')).toBe(false);
    expect(graph.inheritsFrom('editor', 'editor')).toBe(false);
    expect(graph.inheritsFrom('nobody', 'reader')).toBe(false);
  });

  it('reports an unknown parent with the defined role names', () => {
    const { message } = rolesError({
      reader: { permissions: [] },
      author: { inherits: ['raeder'], permissions: [] },
    });
    expect(message).toContain('1 problem in the role definitions');
    expect(message).toContain(
      'role "author" inherits unknown role "raeder"; define it or fix the name (defined: reader, author)',
    );
  });

  it.each([
    ['a self-inheritance', { a: { inherits: ['a'], permissions: [] } }, 'role "a" inherits itself'],
    [
      'a two-role cycle',
      { a: { inherits: ['b'], permissions: [] }, b: { inherits: ['a'], permissions: [] } },
      'inheritance cycle a → b → a',
    ],
    [
      'a three-role cycle below a valid role',
      {
        root: { inherits: ['x'], permissions: [] },
        x: { inherits: ['y'], permissions: [] },
        y: { inherits: ['z'], permissions: [] },
        z: { inherits: ['x'], permissions: [] },
      },
      'inheritance cycle x → y → z → x',
    ],
  ])('reports %s', (_, definitions, expected) => {
    const { message } = rolesError(definitions);
    expect(message).toContain(expected);
    expect(message).toContain('1 problem');
  });

  it('reports every problem at once, with how to fix them', () => {
    const { message } = rolesError({
      reader: { permissions: ['Posts:Read', 'posts'] },
      author: { inherits: ['reader', 'ghost', 'editor'], permissions: ['posts:create'] },
      editor: { inherits: ['author'], permissions: [] },
      'bad name': { permissions: [] },
      broken: {} as never,
    });
    expect(message).toContain('6 problems in the role definitions');
    expect(message).toContain('role "reader": permission "Posts:Read": resource "Posts" must be lowercase');
    expect(message).toContain('role "reader": permission "posts": expected "resource:action"');
    expect(message).toContain('role "author" inherits unknown role "ghost"');
    expect(message).toContain('inheritance cycle author → editor → author');
    expect(message).toContain('role name "bad name"');
    expect(message).toContain('role "broken" needs a "permissions" array');
    expect(message).toContain('Each role is { inherits?: string[]; permissions: string[] }');
  });
});
