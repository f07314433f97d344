import { escapeIdentifier } from 'pg';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { RequestContext, type KwikTenantRef } from '@kwik/core';
import { DatabaseSessionScope, type DatabaseSessionSettings } from '@kwik/database';
import { TENANCY_CONFIG } from '../tenant.constants.js';
import type { TenancyConfig } from '../tenancy-config.js';
import { tenantSchemaName } from '../schema/tenant-schema-name.js';

/**
 * Gives the database library the session of every statement that runs for a tenant: with the
 * shared strategy the non-owner role and `kwik.tenant_id` (so row-level security applies), with
 * the schema strategy the tenant's schema first on the `search_path` (and the same role and
 * setting, for shared tables that keep row-level security). Both are set with
 * `set_config(…, true)` inside the statement's own transaction, in the same round trip, so
 * nothing outlives the statement or reaches the next borrower of the pooled connection.
 * Without a tenant in context statements run as the connecting role, unscoped.
 */
@Injectable()
export class TenantSession implements OnModuleInit {
  private readonly byTenant = new WeakMap<KwikTenantRef, DatabaseSessionSettings>();

  constructor(
    @Inject(TENANCY_CONFIG) private readonly config: TenancyConfig,
    private readonly context: RequestContext,
    private readonly scope: DatabaseSessionScope,
  ) {}

  onModuleInit(): void {
    this.scope.use(() => {
      const tenant = this.context.tenant;
      return tenant === undefined ? undefined : this.settingsFor(tenant);
    });
  }

  /** The session settings of `tenant` (one frozen object per tenant record). */
  settingsFor(tenant: KwikTenantRef): DatabaseSessionSettings {
    let settings = this.byTenant.get(tenant);
    if (!settings) {
      settings =
        this.config.strategy === 'shared'
          ? Object.freeze({
              role: this.config.rls.role,
              settings: Object.freeze({ [this.config.rls.setting]: tenant.id }),
            })
          : Object.freeze({
              role: this.config.rls.role,
              // The tenant setting too: shared tables kept in `public` (users) may still carry
              // row-level security policies.
              settings: Object.freeze({
                search_path: `${escapeIdentifier(tenantSchemaName(String(tenant.slug), this.config.schema.prefix))}, public`,
                [this.config.rls.setting]: tenant.id,
              }),
            });
      this.byTenant.set(tenant, settings);
    }
    return settings;
  }
}
