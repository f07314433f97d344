import { Injectable, type CanActivate, type ExecutionContext, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { contextStoreOf, RouteMemo } from '@kwik/core';
import { DEPRECATED_METADATA } from '../versioning.constants.js';
import type { DeprecationInfo } from '../versioning-options.interface.js';
import { resolveDeprecation, type ResolvedDeprecation } from '../resolve-options.js';
import { ROUTE_DEPRECATION_KEY } from '../http/versioning-http.service.js';
import { VersionUsage } from './version-usage.js';

/**
 * Global guard that never refuses: on a route marked `@Deprecated()` it leaves the deprecation in
 * the request context (the response hook turns it into headers) and counts the request.
 */
@Injectable()
export class DeprecationGuard implements CanActivate, OnModuleInit {
  private readonly memo: RouteMemo<ResolvedDeprecation | null>;
  /** Each `@Deprecated()` declaration, validated at boot with the boot time as its default `since`. */
  private readonly resolved = new Map<DeprecationInfo, ResolvedDeprecation>();
  private readonly bootTime = Date.now();

  constructor(
    private readonly reflector: Reflector,
    private readonly usage: VersionUsage,
    private readonly discovery: DiscoveryService,
  ) {
    this.memo = new RouteMemo(({ handler, controller }) => {
      const info = reflector.getAllAndOverride<DeprecationInfo | undefined>(DEPRECATED_METADATA, [handler, controller]);
      return info ? this.resolve(info, `${controller.name}.${handler.name}`) : null;
    });
  }

  /** Every `@Deprecated()` of the app's controllers is checked now: a bad date fails the boot, not a request. */
  onModuleInit(): void {
    for (const wrapper of this.discovery.getControllers()) {
      const controller = wrapper.metatype as Function | null;
      if (!controller?.prototype) continue;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = Object.getOwnPropertyDescriptor(controller.prototype, name)?.value;
        if (typeof handler === 'function' && name !== 'constructor') this.memo.get(handler, controller);
      }
    }
  }

  private resolve(info: DeprecationInfo, where: string): ResolvedDeprecation {
    let found = this.resolved.get(info);
    if (found === undefined) {
      found = resolveDeprecation(info, `@Deprecated() on ${where}`, this.bootTime);
      this.resolved.set(info, found);
    }
    return found;
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const deprecation = this.memo.of(context);
    if (deprecation === null) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    contextStoreOf(request.raw)?.extras.set(ROUTE_DEPRECATION_KEY, deprecation);
    this.usage.deprecatedRoute(`${request.method} ${request.routeOptions.url ?? request.url}`);
    return true;
  }
}
