import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { RequestContext, RouteMemo, TenantOptional, type ProblemException } from '@kwik/core';
import { TENANCY_CONFIG, TENANT_FAILURE_KEY } from '../tenant.constants.js';
import type { TenancyConfig } from '../tenancy-config.js';
import { tenantRequired } from '../tenant.problems.js';

/**
 * The global guard: answers the resolution's failures (404 unknown, 403 mismatched or suspended)
 * and, with `required`, a 400 for a request that names no tenant, except on `@TenantOptional()`
 * routes. Subclass it and override {@link isOptional} to change which routes need a tenant.
 */
@Injectable()
export class TenantGuard implements CanActivate {
  private readonly sources: readonly string[];
  private readonly optional = new RouteMemo(
    ({ handler, controller }) =>
      this.reflector.getAllAndOverride(TenantOptional, [handler, controller]) === true,
  );

  constructor(
    @Inject(TENANCY_CONFIG) protected readonly config: TenancyConfig,
    protected readonly reflector: Reflector,
    protected readonly context: RequestContext,
  ) {
    this.sources = config.resolvers.map((r) => (typeof r === 'string' ? r : r.name));
  }

  canActivate(execution: ExecutionContext): boolean {
    if (execution.getType() !== 'http') return true;
    const failure = this.context.get<ProblemException>(TENANT_FAILURE_KEY);
    if (failure) throw failure;
    if (this.context.tenant || !this.config.required || this.isOptional(execution)) return true;
    throw tenantRequired(this.config.header, this.sources);
  }

  /** Whether the route may run without a tenant. */
  protected isOptional(execution: ExecutionContext): boolean {
    return this.optional.of(execution);
  }
}
