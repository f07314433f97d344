import { describe, expect, it } from 'vitest';
import { ProblemException } from '../errors/problem.exception.js';
import { grantsPermission, requirePermission } from './require-permission.js';

describe('requirePermission', () => {
  it.each([
    [['tasks:admin'], true],
    [['tasks:*'], true],
    [['*'], true],
    [['tasks:read'], false],
    [['posts:*'], false],
    [[], false],
  ])('%j grants tasks:admin: %s', (granted, expected) => {
    expect(grantsPermission(granted, 'tasks:admin')).toBe(expected);
  });

  it.each([
    [undefined, 401],
    [{ id: 'u1', permissions: ['posts:read'] }, 403],
    [{ id: 'u1' }, 403],
  ])('refuses %j with %i', (principal, status) => {
    let thrown: unknown;
    try {
      requirePermission(principal, 'tasks:admin', 'needs tasks:admin');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProblemException);
    expect((thrown as ProblemException).getStatus()).toBe(status);
  });

  it('lets a granted principal through', () => {
    expect(requirePermission({ id: 'u1', permissions: ['tasks:*'] }, 'tasks:admin', 'x')).toBe(true);
  });
});
