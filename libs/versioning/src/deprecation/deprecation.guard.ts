import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
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
export class DeprecationGuard implements CanActivate {
  private readonly memo: RouteMemo<ResolvedDeprecation | null>;

  constructor(
    reflector: Reflector,
    private readonly usage: VersionUsage,
  ) {
    this.memo = new RouteMemo(({ handler, controller }) => {
      const info = reflector.getAllAndOverride<DeprecationInfo | undefined>(DEPRECATED_METADATA, [handler, controller]);
      return info ? resolveDeprecation(info, `@Deprecated() on ${controller.name}.${handler.name}`) : null;
    });
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
