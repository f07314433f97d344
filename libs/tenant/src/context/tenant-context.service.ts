import { Injectable } from '@nestjs/common';
import { RequestContext } from '@kwik/core';
import { DatabaseSessionScope } from '@kwik/database';
import { TenantError, TenantErrorCode } from '../tenant.errors.js';
import { TenantDirectory } from '../resolution/tenant-directory.js';
import type { TenantRecord } from '../resolution/tenant-record.js';

/** What identifies a tenant in a job or event payload: plain JSON, restored with {@link TenantContext.run}. */
export interface TenantSnapshot {
  readonly id: string;
  readonly slug: string;
}

/**
 * The current tenant, and moving it across boundaries: capture it into a job or event payload in a
 * request, restore it when the job runs (the same database scope, logs and cache keys follow), or
 * step out of tenant scope on purpose for platform work.
 *
 * @example
 * const payload = { postId, tenant: this.tenants.capture() };       // in the request
 * await this.tenants.run(payload.tenant, () => this.mailer.send(...)); // in the job
 * await this.tenants.runAsSystem(() => this.reports.allTenants());     // no tenant scope
 */
@Injectable()
export class TenantContext {
  constructor(
    private readonly context: RequestContext,
    private readonly directory: TenantDirectory,
    private readonly session: DatabaseSessionScope,
  ) {}

  /** The tenant of the current request or job, if any. */
  get current(): TenantRecord | undefined {
    return this.context.tenant as TenantRecord | undefined;
  }

  /** The current tenant; throws `KWIK_TENANT_NOT_RESOLVED` when there is none. */
  require(): TenantRecord {
    const tenant = this.current;
    if (!tenant)
      throw new TenantError(
        TenantErrorCode.NotResolved,
        'No tenant in this context. On HTTP routes keep the tenant required (not @TenantOptional()); in jobs restore it with TenantContext.run(snapshot, fn).',
      );
    return tenant;
  }

  /** The current tenant as plain JSON for a payload, or undefined outside a tenant. */
  capture(): TenantSnapshot | undefined {
    const tenant = this.current;
    return tenant ? { id: tenant.id, slug: tenant.slug } : undefined;
  }

  /**
   * Runs `fn` as `tenant` (a snapshot, or a slug), in a context that keeps the current request id,
   * principal and ip when there is one. The tenant is looked up again, so a deleted or suspended
   * tenant's job fails with `KWIK_TENANT_NOT_RESOLVED` instead of running.
   */
  async run<T>(tenant: TenantSnapshot | string, fn: () => T | Promise<T>): Promise<T> {
    const key = typeof tenant === 'string' ? { slug: tenant } : { id: tenant.id };
    const record = await this.directory.find(key);
    if (!record || record.status !== 'active')
      throw new TenantError(
        TenantErrorCode.NotResolved,
        `Tenant ${typeof tenant === 'string' ? tenant : `${tenant.slug} (${tenant.id})`} ${record ? 'is suspended' : 'no longer exists'}; the work was not run.`,
      );
    return this.context.run({ ...this.context.capture(), tenant: record }, fn);
  }

  /** Runs `fn` without tenant scope: its statements run as the connecting (owner) role, seeing every tenant. */
  runAsSystem<T>(fn: () => T): T {
    return this.session.runUnscoped(fn);
  }
}
