import { describe, expect, it } from 'vitest';
import { RouteAccess } from './route-access.js';

class PostsController {
  list(): void {}
  health(): void {}
}
const list = { controller: PostsController, handler: PostsController.prototype.list };
const health = { controller: PostsController, handler: PostsController.prototype.health };

describe('RouteAccess', () => {
  it('requires nothing until a library registers a rule', () => {
    const access = new RouteAccess();
    expect(access.authenticationInstalled).toBe(false);
    expect(access.requiresAuthentication(list)).toBe(false);
  });

  it('requires authentication where any registered rule says so', () => {
    const access = new RouteAccess();
    access.requireAuthentication(({ handler }) => handler !== PostsController.prototype.health);
    access.requireAuthentication(() => false);
    expect(access.authenticationInstalled).toBe(true);
    expect(access.requiresAuthentication(list)).toBe(true);
    expect(access.requiresAuthentication(health)).toBe(false);
  });
});
