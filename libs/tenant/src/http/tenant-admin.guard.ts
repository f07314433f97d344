import { Inject, Injectable, type CanActivate } from '@nestjs/common';
import { ProblemException, ProblemKind, RequestContext } from '@kwik/core';
import { TENANCY_CONFIG } from '../tenant.constants.js';
import type { TenancyConfig } from '../tenancy-config.js';

/**
 * Lets a principal through to the tenant admin endpoints when its `permissions` grant the admin
 * permission (exactly, or through `<resource>:*` or `*`): 401 without a principal, 403 without it.
 */
@Injectable()
export class TenantAdminGuard implements CanActivate {
  constructor(
    @Inject(TENANCY_CONFIG) private readonly config: TenancyConfig,
    private readonly context: RequestContext,
  ) {}

  canActivate(): boolean {
    const permission = this.config.admin.permission;
    const principal = this.context.principal;
    if (!principal)
      throw new ProblemException({
        status: 401,
        kind: ProblemKind.Unauthorized,
        title: 'Unauthorized',
        detail: 'Sign in first.',
      });
    const granted = principal.permissions ?? [];
    const resource = permission.split(':')[0];
    if (granted.includes(permission) || granted.includes('*') || granted.includes(`${resource}:*`))
      return true;
    throw new ProblemException({
      status: 403,
      kind: ProblemKind.Forbidden,
      title: 'Forbidden',
      detail: `Managing organizations requires the permission ${permission}.`,
    });
  }
}
