import { Injectable, type CanActivate, type ExecutionContext, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { contextStoreOf, ProblemException, RouteMemo } from '@kwik/core';
import type { VersionFieldError } from '../changes/version-chain.js';
import { DEPRECATED_METADATA } from '../versioning.constants.js';
import type { DeprecationInfo } from '../versioning-options.interface.js';
import { resolveDeprecation, type ResolvedDeprecation } from '../resolve-options.js';
import { ROUTE_DEPRECATION_KEY, VERSION_FIELD_ERROR_KEY } from '../http/versioning-http.service.js';
import { VersionUsage } from './version-usage.js';

/**
 * Global guard: on a route marked `@Deprecated()` it leaves the deprecation in the request context
 * (the response hook turns it into headers) and counts the request; a request that named a later
 * version's field (found while migrating it) is refused here with a 400, after the guards
 * registered before it (authentication, tenancy) had their say.
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
      const info = reflector.getAllAndOverride<DeprecationInfo | undefined>(DEPRECATED_METADATA, [
        handler,
        controller,
      ]);
      return info ? this.resolve(info, `${controller.name}.${handler.name}`) : null;
    });
  }

  /** Every `@Deprecated()` of the app's controllers is checked now: a bad date fails the boot, not a request. */
  onModuleInit(): void {
    for (const wrapper of this.discovery.getControllers()) {
      const controller = wrapper.metatype as Function | null;
      if (!controller?.prototype) continue;
      // Inherited handlers too (a CRUD base class's routes).
      for (
        let proto = controller.prototype;
        proto && proto !== Object.prototype;
        proto = Object.getPrototypeOf(proto)
      )
        for (const name of Object.getOwnPropertyNames(proto)) {
          const handler = Object.getOwnPropertyDescriptor(proto, name)?.value;
          if (typeof handler === 'function' && name !== 'constructor') this.memo.get(handler, controller);
        }
      const own = Reflect.getMetadata(DEPRECATED_METADATA, controller) as DeprecationInfo | undefined;
      if (own) this.resolve(own, controller.name);
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
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const store = contextStoreOf(request.raw);
    const refused = store?.extras.get(VERSION_FIELD_ERROR_KEY) as VersionFieldError | undefined;
    if (refused)
      throw ProblemException.validation(
        [{ field: refused.field, message: refused.message }],
        `${refused.field}: ${refused.message}`,
      );
    if (deprecation === null) return true;
    store?.extras.set(ROUTE_DEPRECATION_KEY, deprecation);
    this.usage.deprecatedRoute(`${request.method} ${request.routeOptions.url ?? request.url}`);
    return true;
  }
}
