import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { RequestContext } from '@kwik/core';
import { TENANCY_CONFIG } from '../tenant.constants.js';
import type { TenancyConfig } from '../tenancy-config.js';
import { verifyTenantRls } from './rls-verifier.js';
import { scopedEntities, type ScopedEntity } from './scoped-entities.js';
import { TenantStampSubscriber } from './tenant-stamp.subscriber.js';

/**
 * Boot-time wiring against the data source: checks the `@TenantScoped()` entities, insists on
 * their row-level security (shared strategy), and adds the subscriber that stamps new rows.
 */
@Injectable()
export class TenantBoot implements OnModuleInit {
  private readonly logger = new Logger('Tenancy');

  constructor(
    @Inject(TENANCY_CONFIG) private readonly config: TenancyConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly context: RequestContext,
  ) {}

  async onModuleInit(): Promise<void> {
    const entities = scopedEntities(this.dataSource);
    if (this.config.strategy === 'shared' && this.config.rls.verify) {
      await verifyTenantRls(this.dataSource, entities, this.config.rls.role);
      await this.warnAboutEnumFilters(entities);
    }
    if (!this.dataSource.subscribers.some((s) => s instanceof TenantStampSubscriber))
      this.dataSource.subscribers.push(new TenantStampSubscriber(this.context));
  }

  /**
   * Enum equality is not leakproof unless `tenantLeakproofSql()` ran as a superuser: under row-level
   * security a filter on an enum column then reads every row of the tenant instead of using an index.
   */
  private async warnAboutEnumFilters(entities: readonly ScopedEntity[]): Promise<void> {
    const enums = entities.flatMap((e) =>
      e.metadata.columns.filter((c) => c.type === 'enum').map((c) => `${e.metadata.name}.${c.propertyName}`),
    );
    if (enums.length === 0) return;
    const [row] = (await this.dataSource.query(
      `SELECT proleakproof AS "leakproof" FROM pg_proc WHERE oid = 'pg_catalog.enum_eq(anyenum, anyenum)'::regprocedure`,
    )) as { leakproof: boolean }[];
    if (row?.leakproof) return;
    this.logger.warn(
      `Enum equality is not leakproof in this database, so under row-level security filters on ${enums.join(', ')} cannot use an index and read every row of the tenant. Run tenantLeakproofSql() in a migration as a superuser, or use varchar columns with a CHECK (docs/tenant.md).`,
    );
  }
}
