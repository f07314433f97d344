import { Inject, Injectable, type CanActivate } from '@nestjs/common';
import { ProblemException, ProblemKind, RequestContext } from '@kwik/core';
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
      detail: `The tasks API requires the permission ${permission}.`,
    });
  }
}
