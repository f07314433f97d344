import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { TENANCY_CONFIG } from '../tenant.constants.js';
import type { TenancyConfig } from '../tenancy-config.js';
import type { TenantRecord } from '../resolution/tenant-record.js';
import { TenantStorage } from '../registry/tenant-storage.js';
import { cloneSchema } from '../schema/schema-cloner.js';
import { grantSchemaTo } from '../schema/schema-grants.js';
import { migrateTenantSchemas } from '../schema/migrate-tenant-schemas.js';
import { TenantSchemaMigrator, type SchemaMigrationReport } from '../schema/schema-migrator.js';
import { tenantSchemaName } from '../schema/tenant-schema-name.js';
import { TenantError, TenantErrorCode } from '../tenant.errors.js';

/**
 * The schema strategy's storage: each tenant's schema is created by copying the migrated template
 * schema (or by running the tenant migrations when there is no template, or it holds what cannot be
 * copied), granted to the app role, dropped on deprovisioning; at boot the template and every
 * tenant schema are migrated, several at once, a failure in one leaving the others migrated.
 */
@Injectable()
export class TenantSchemas extends TenantStorage implements OnModuleInit {
  private readonly logger = new Logger('Tenancy');
  private migrator?: TenantSchemaMigrator;

  constructor(
    @Inject(TENANCY_CONFIG) private readonly config: TenancyConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    super();
  }

  async onModuleInit(): Promise<void> {
    if (this.config.strategy !== 'schema' || !this.config.schema.migrateOnBoot) return;
    const report = await this.migrateAll();
    if (report.failed.length > 0)
      throw new TenantError(
        TenantErrorCode.SchemaMigrationFailed,
        `Tenant schema migrations failed in ${report.failed.length} of ${report.total} schemas (the others are migrated; fix and restart to resume):\n- ${report.failed
          .map((f) => `${f.schema}: ${f.migration}: ${f.error.message}`)
          .join('\n- ')}`,
      );
  }

  /** The schema name of a tenant. */
  schemaOf(tenant: { slug: string }): string {
    return tenantSchemaName(tenant.slug, this.config.schema.prefix);
  }

  /** Migrates the template and every tenant's schema; the report names what failed. */
  async migrateAll(onProgress?: (done: number, total: number) => void): Promise<SchemaMigrationReport> {
    const rows = (await this.dataSource
      .getRepository(this.config.tenantEntity)
      .find({ select: { slug: true } })) as { slug: string }[];
    const schemas = rows.map((r) => this.schemaOf(r));
    if (this.config.schema.template) schemas.unshift(this.config.schema.template);
    // Progress in the log every tenth of the way when there are many schemas (a long boot says why).
    const step = Math.max(1, Math.ceil(schemas.length / 10));
    const report = await migrateTenantSchemas(
      this.dataSource,
      this.getMigrator(),
      schemas,
      this.config.rls.role,
      {
        onProgress: (p) => {
          if (p.migration) return;
          onProgress?.(p.done, p.total);
          if (schemas.length >= 20 && p.done % step === 0 && p.done < p.total)
            this.logger.log(`Tenant schemas: ${p.done}/${p.total} migrated (${p.failed} failed)`);
        },
      },
    );
    this.logger.log(
      `Tenant schemas: ${report.migrated.length} migrated, ${report.upToDate.length} up to date, ${report.failed.length} failed (${Math.round(report.durationMs)} ms)`,
    );
    return report;
  }

  async create(tenant: TenantRecord): Promise<void> {
    const schema = this.schemaOf(tenant);
    const template = this.config.schema.template;
    let copied = false;
    if (template) {
      try {
        await cloneSchema(this.dataSource, template, schema);
        copied = true;
      } catch (error) {
        if (!(error instanceof TenantError) || error.code !== 'KWIK_TENANT_SCHEMA_CLONE_UNSUPPORTED')
          throw error;
        this.logger.warn(`Provisioning ${schema} by migrations: ${error.message}`);
      }
    }
    if (!copied) {
      const migrator = this.getMigrator();
      await migrator.createSchema(schema);
      const report = await migrator.migrate([schema]);
      const failure = report.failed[0];
      if (failure) {
        await migrator.dropSchema(schema);
        throw new TenantError(
          TenantErrorCode.SchemaMigrationFailed,
          `Migrating the schema of ${tenant.slug} failed at ${failure.migration}: ${failure.error.message}`,
        );
      }
    }
    await grantSchemaTo(this.dataSource, schema, this.config.rls.role);
  }

  async drop(tenant: TenantRecord): Promise<void> {
    await this.getMigrator().dropSchema(this.schemaOf(tenant));
  }

  private getMigrator(): TenantSchemaMigrator {
    this.migrator ??= new TenantSchemaMigrator(this.dataSource, {
      migrations: [...this.config.schema.migrations],
      concurrency: this.config.schema.concurrency,
    });
    return this.migrator;
  }
}
