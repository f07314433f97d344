import { Injectable } from '@nestjs/common';

/** A controller route, as libraries ask about it at boot. */
export interface RouteTarget {
  /** The controller class. */
  readonly controller: Function;
  /** The route handler (the method function). */
  readonly handler: Function;
}

/** Decides whether a route needs an authenticated principal. */
export type AuthenticationRule = (route: RouteTarget) => boolean;

/**
 * What the installed libraries say about access to routes, for libraries that must not import
 * each other. The auth library registers its rule (every route needs a principal unless
 * `@Public()`); the cache library asks it at boot, so that an authenticated route cached without
 * varying on the user fails at boot instead of serving one user's response to another.
 *
 * @example
 * // an auth library
 * routeAccess.requireAuthentication(({ controller, handler }) => !isPublic(handler, controller));
 * // another library, at boot
 * if (routeAccess.requiresAuthentication({ controller, handler })) ...
 */
@Injectable()
export class RouteAccess {
  private readonly rules: AuthenticationRule[] = [];

  /** Registers a rule; a route needs authentication when any rule says so. */
  requireAuthentication(rule: AuthenticationRule): void {
    this.rules.push(rule);
  }

  /** True when an installed library requires a principal on this route. */
  requiresAuthentication(route: RouteTarget): boolean {
    return this.rules.some((rule) => rule(route));
  }

  /** True when some library registered an authentication rule (an auth library is installed). */
  get authenticationInstalled(): boolean {
    return this.rules.length > 0;
  }
}
