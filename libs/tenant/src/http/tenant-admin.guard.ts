import { Inject, Injectable, type CanActivate } from '@nestjs/common';
import { RequestContext, requirePermission } from '@kwik/core';
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
    return requirePermission(
      this.context.principal,
      permission,
      `Managing organizations requires the permission ${permission}.`,
    );
  }
}
