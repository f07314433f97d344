import { Inject, Injectable, type CanActivate } from '@nestjs/common';
import { RequestContext, requirePermission } from '@kwik/core';
import { TASKS_RESOLVED_OPTIONS } from '../tasks.constants.js';
import type { ResolvedTasksOptions } from '../resolve-options.js';

/**
 * Lets a principal through to `/_kwik/tasks` when its `permissions` grant `adminPermission`
 * (exactly, or through `<resource>:*` or `*`): 401 without a principal, 403 without it.
 */
@Injectable()
export class TasksAdminGuard implements CanActivate {
  constructor(
    @Inject(TASKS_RESOLVED_OPTIONS) private readonly options: ResolvedTasksOptions,
    private readonly context: RequestContext,
  ) {}

  canActivate(): boolean {
    const permission = this.options.adminPermission;
    return requirePermission(
      this.context.principal,
      permission,
      `The tasks API requires the permission ${permission}.`,
    );
  }
}
