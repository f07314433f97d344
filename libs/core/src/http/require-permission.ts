import { ProblemException } from '../errors/problem.exception.js';
import { ProblemKind } from '../errors/problem.types.js';
import type { KwikPrincipal } from '../context/context.types.js';

/** Whether `granted` holds `permission` exactly, through `<resource>:*`, or through `*`. */
export function grantsPermission(granted: readonly string[], permission: string): boolean {
  const resource = permission.split(':')[0];
  return granted.includes(permission) || granted.includes('*') || granted.includes(`${resource}:*`);
}

/**
 * For libraries' own endpoints that must not depend on the auth library (tenant admin, tasks
 * operations): passes when the principal's `permissions` grant `permission`; else a 401 problem
 * without a principal, a 403 one (with `detail`) without the permission.
 *
 * @example
 * canActivate() { return requirePermission(this.context.principal, 'tasks:admin', 'The tasks API requires the permission tasks:admin.'); }
 */
export function requirePermission(
  principal: KwikPrincipal | undefined,
  permission: string,
  detail: string,
): true {
  if (!principal)
    throw new ProblemException({
      status: 401,
      kind: ProblemKind.Unauthorized,
      title: 'Unauthorized',
      detail: 'Sign in first.',
    });
  if (grantsPermission(principal.permissions ?? [], permission)) return true;
  throw new ProblemException({ status: 403, kind: ProblemKind.Forbidden, title: 'Forbidden', detail });
}
