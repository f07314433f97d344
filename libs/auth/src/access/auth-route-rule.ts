import { Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Public, RouteAccess } from '@kwik/core';

/**
 * Tells core's `RouteAccess` what the global `AuthGuard` enforces: every route needs a principal
 * unless it (or its controller) is `@Public()`. Other libraries (the cache's boot check) ask it.
 */
@Injectable()
export class AuthRouteRule {
  constructor(routeAccess: RouteAccess, reflector: Reflector) {
    routeAccess.requireAuthentication(
      ({ controller, handler }) => reflector.getAllAndOverride(Public, [handler, controller]) !== true,
    );
  }
}
