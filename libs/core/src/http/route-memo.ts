import type { ExecutionContext } from '@nestjs/common';

/**
 * What a guard reads from a route's decorators, worked out once per route instead of on every
 * request. Nest's `Reflector` walks reflect-metadata's prototype chain on each call; a global
 * guard asking for three keys on every request pays that for every request of every route.
 *
 * Keyed by controller class and handler together: a handler inherited by two controllers
 * (a CRUD base class) may carry different class-level metadata in each.
 *
 * @example
 * private readonly rules = new RouteMemo(({ handler, controller }) => ({
 *   isPublic: this.reflector.getAllAndOverride(PUBLIC, [handler, controller]) === true,
 * }));
 * canActivate(context: ExecutionContext) {
 *   if (this.rules.of(context).isPublic) return true;
 * }
 */
export class RouteMemo<T> {
  private readonly byController = new WeakMap<Function, WeakMap<Function, T>>();

  constructor(private readonly compute: (route: { handler: Function; controller: Function }) => T) {}

  /** The value for the route `context` is running. */
  of(context: ExecutionContext): T {
    return this.get(context.getHandler(), context.getClass());
  }

  /** The value for a controller's handler. */
  get(handler: Function, controller: Function): T {
    let handlers = this.byController.get(controller);
    if (handlers === undefined) {
      handlers = new WeakMap();
      this.byController.set(controller, handlers);
    }
    let value = handlers.get(handler);
    if (value === undefined && !handlers.has(handler)) {
      value = this.compute({ handler, controller });
      handlers.set(handler, value);
    }
    return value as T;
  }
}
