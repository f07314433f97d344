import { Reflector } from '@nestjs/core';

/**
 * Marks a route or controller as usable without a tenant, even when the tenancy library requires
 * one everywhere else (sign-in, token refresh, health). A tenant that is named is still resolved,
 * checked and applied; only its absence is accepted. Core owns the marker so libraries (auth,
 * core's health) can set it without importing `@kwik/tenant`, which re-exports it.
 *
 * @example
 * @TenantOptional()
 * @Post('login') login() {}
 * // in a guard: reflector.getAllAndOverride(TenantOptional, [ctx.getHandler(), ctx.getClass()])
 */
export const TenantOptional = Reflector.createDecorator<true>({ transform: () => true });
