import type { ExecutionContext } from '@nestjs/common';
import { describe, expect, it, vi } from 'vitest';
import { RouteMemo } from './route-memo.js';

class Base {
  list() {}
}
class Posts extends Base {}
class Comments extends Base {}
const contextOf = (controller: Function, handler: Function) =>
  ({ getClass: () => controller, getHandler: () => handler }) as unknown as ExecutionContext;

describe('RouteMemo', () => {
  it('computes once per controller and handler', () => {
    const compute = vi.fn<(route: { controller: Function }) => string>(({ controller }) => controller.name);
    const memo = new RouteMemo(compute);
    expect(memo.of(contextOf(Posts, Base.prototype.list))).toBe('Posts');
    expect(memo.of(contextOf(Posts, Base.prototype.list))).toBe('Posts');
    expect(compute).toHaveBeenCalledTimes(1);
  });

  it('keeps an inherited handler apart per controller', () => {
    const memo = new RouteMemo(({ controller }) => controller.name);
    expect(memo.get(Base.prototype.list, Posts)).toBe('Posts');
    expect(memo.get(Base.prototype.list, Comments)).toBe('Comments');
  });

  it('remembers an undefined value too', () => {
    const compute = vi.fn<() => undefined>(() => undefined);
    const memo = new RouteMemo(compute);
    memo.get(Base.prototype.list, Posts);
    memo.get(Base.prototype.list, Posts);
    expect(compute).toHaveBeenCalledTimes(1);
  });
});
