import { Reflector } from '@nestjs/core';

/**
 * Marks a route or controller as open to anonymous callers. Core owns the marker so that any
 * guard (the auth library's global guard, an app's own) can honour it without the libraries
 * importing each other; core's own `/health/ready` carries it. `@kwik/auth` re-exports it.
 *
 * @example
 * @Public()
 * @Get('status') status() {}
 * // in a guard: reflector.getAllAndOverride(Public, [ctx.getHandler(), ctx.getClass()])
 */
export const Public = Reflector.createDecorator<true>({ transform: () => true });
