import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { RequestContext, RouteMemo } from '@kwik/core';
import { AUTH_FAILURE_KEY } from '../auth.constants.js';
import { unauthorized } from '../auth.problems.js';
import { AuthMetadata } from '../decorators/auth.decorators.js';
import { AccessControl } from './access-control.service.js';
import { isAuthPrincipal, type AuthPrincipal } from './auth-principal.js';
import { RoleRegistry } from './role-registry.service.js';

/**
 * The global guard: every route needs a principal unless it is `@Public()`; `@HasRole()` and
 * `@HasPermission()` are checked here (403, audited). Authentication itself happened earlier, in
 * the `Authenticator` hook. Subclass and override the protected hooks to change a decision.
 */
/** What a route's decorators ask of the caller, read once per route. */
interface RouteRules {
  readonly isPublic: boolean;
  readonly roles: readonly string[] | undefined;
  readonly permissions: readonly string[] | undefined;
}

@Injectable()
export class AuthGuard implements CanActivate {
  private readonly rules = new RouteMemo<RouteRules>(({ handler, controller }) => {
    const targets = [handler, controller];
    const roles = this.reflector.getAllAndOverride<string[] | undefined>(AuthMetadata.RequiredRoles, targets);
    const permissions = this.reflector.getAllAndOverride<string[] | undefined>(
      AuthMetadata.RequiredPermissions,
      targets,
    );
    return {
      isPublic: this.reflector.getAllAndOverride(AuthMetadata.Public, targets) === true,
      roles: roles?.length ? roles : undefined,
      permissions: permissions?.length ? permissions : undefined,
    };
  });

  constructor(
    protected readonly reflector: Reflector,
    protected readonly context: RequestContext,
    protected readonly access: AccessControl,
    protected readonly roles: RoleRegistry,
  ) {}

  canActivate(execution: ExecutionContext): boolean | Promise<boolean> {
    if (execution.getType() !== 'http') return true;
    if (this.isPublic(execution)) return true;
    const principal = this.context.principal;
    if (!isAuthPrincipal(principal)) throw this.unauthenticated();
    const { roles, permissions } = this.rules.of(execution);
    if (roles && !roles.some((role) => this.roles.hasRole(principal.roles, role)))
      return this.access.deny(principal, `requires the role ${roles.join(' or ')}`);
    if (permissions) return this.checkPermissions(principal, permissions);
    return true;
  }

  /** Whether the route is open to anonymous callers. */
  protected isPublic(execution: ExecutionContext): boolean {
    return this.rules.of(execution).isPublic;
  }

  /** The 401 for a request without an accepted credential. */
  protected unauthenticated(): Error {
    const failure = this.context.get<string>(AUTH_FAILURE_KEY);
    return failure
      ? unauthorized(`Authentication failed: ${failure}.`)
      : unauthorized(
          'Authentication required: send "Authorization: Bearer <access token>" or "X-API-Key: <key>".',
          'invalid_request',
        );
  }

  private checkPermissions(
    principal: AuthPrincipal,
    permissions: readonly string[],
  ): boolean | Promise<boolean> {
    for (const permission of permissions) {
      const verdict = this.access.check(principal, permission);
      if (verdict === 'own') this.access.markOwnOnly(permission);
      else if (verdict !== 'yes') return this.access.deny(principal, `requires the permission ${permission}`);
    }
    return true;
  }
}
