import { KwikError } from '@kwik/core';
import { describe, expect, it } from 'vitest';
import { parsePermission, parsePermissions, permissionProblem } from './permission.js';

describe('permission strings', () => {
  it.each([
    ['*', { resource: '*', action: '*', own: false }],
    ['posts:*', { resource: 'posts', action: '*', own: false }],
    ['posts:read', { resource: 'posts', action: 'read', own: false }],
    ['posts:update:own', { resource: 'posts', action: 'update', own: true }],
    ['posts:*:own', { resource: 'posts', action: '*', own: true }],
    ['api-keys:revoke', { resource: 'api-keys', action: 'revoke', own: false }],
    ['audit_log:read', { resource: 'audit_log', action: 'read', own: false }],
  ])('parses %s', (raw, expected) => {
    expect(parsePermission(raw)).toEqual({ raw, ...expected });
  });

  it.each([
    ['posts', 'expected "resource:action"'],
    ['posts:read:own:more', 'expected "resource:action"'],
    ['Posts:read', 'resource "Posts" must be lowercase'],
    ['*:read', 'resource "*" must be lowercase'],
    ['posts:', 'action "" must be "*" or lowercase'],
    [':read', 'resource "" must be lowercase'],
    ['posts:read:mine', 'the only suffix allowed is ":own"'],
    ['posts:own', 'the action is missing before ":own"'],
    ['posts :read', 'resource "posts " must be lowercase'],
    ['', 'expected "resource:action"'],
  ])('explains why %j is invalid', (raw, reason) => {
    expect(permissionProblem(raw)).toContain(reason);
  });

  it('reports every invalid string of a list in one KwikError', () => {
    let error: unknown;
    try {
      parsePermissions(['posts:read', 'Posts:Update', 'comments', 'posts:read:mine']);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KwikError);
    const { code, message } = error as KwikError;
    expect(code).toBe('KWIK_AUTH_INVALID_PERMISSION');
    expect(message).toContain('Invalid permission strings: "Posts:Update": resource "Posts"');
    expect(message).toContain('"comments": expected');
    expect(message).toContain('"posts:read:mine": the only suffix');
    expect(message).not.toContain('"posts:read":');
    expect(message).toContain('Write permissions as "resource:action"');
  });
});
