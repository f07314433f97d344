import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { QueryFailedError, type DataSource, type Repository } from 'typeorm';
import { ProblemException, ProblemKind } from '@kwik/core';
import { DatabaseSessionScope } from '@kwik/database';
import type { KwikTenant, TenantSettingsDocument, TenantStatus } from '../entities/kwik-tenant.entity.js';
import { TENANCY_CONFIG } from '../tenant.constants.js';
import { TENANT_SLUG, type TenancyConfig } from '../tenancy-config.js';
import { tenantBadRequest, tenantNotFound } from '../tenant.problems.js';
import { TenantDirectory } from '../resolution/tenant-directory.js';
import { toTenantRecord, type TenantRecord } from '../resolution/tenant-record.js';
import { TenantSettings } from './tenant-settings.service.js';
import { TenantStorage } from './tenant-storage.js';

/** A tenant to create. */
export interface ProvisionTenant {
  slug: string;
  name: string;
  plan?: string | null;
  settings?: TenantSettingsDocument;
}

/** Changes to a tenant; `null` in `settings` drops an override. */
export interface UpdateTenant {
  name?: string;
  plan?: string | null;
  status?: TenantStatus;
  settings?: TenantSettingsDocument;
}

/**
 * The tenant registry: creating (with its schema, under the schema strategy), changing,
 * suspending and removing tenants. Runs outside tenant scope (as the connecting role) and makes
 * this instance forget its cached copy of a changed tenant at once.
 *
 * @example
 * const globex = await registry.provision({ slug: 'globex', name: 'Globex', plan: 'pro' });
 * await registry.update('globex', { status: 'suspended' });
 */
@Injectable()
export class TenantRegistry {
  private readonly repository: Repository<KwikTenant>;

  constructor(
    @Inject(TENANCY_CONFIG) private readonly config: TenancyConfig,
    @InjectDataSource() dataSource: DataSource,
    private readonly directory: TenantDirectory,
    private readonly session: DatabaseSessionScope,
    private readonly settings: TenantSettings,
    @Optional() private readonly storage?: TenantStorage,
  ) {
    this.repository = dataSource.getRepository(config.tenantEntity);
  }

  /** Every tenant, by slug. */
  list(): Promise<TenantRecord[]> {
    return this.session.runUnscoped(async () =>
      (await this.repository.find({ order: { slug: 'ASC' } })).map(toTenantRecord),
    );
  }

  /** One tenant, or null. */
  get(slug: string): Promise<TenantRecord | null> {
    return this.session.runUnscoped(async () => {
      const row = await this.repository.findOne({ where: { slug } });
      return row ? toTenantRecord(row) : null;
    });
  }

  /** Creates a tenant (and, with the schema strategy, its schema); 409 when the slug is taken. */
  async provision(input: ProvisionTenant): Promise<TenantRecord> {
    if (!TENANT_SLUG.test(input.slug))
      throw tenantBadRequest(
        'slug must be lower-case letters, digits and inner hyphens, at most 63 characters.',
      );
    this.assertSettings(input.settings);
    return this.session.runUnscoped(async () => {
      if (await this.repository.exists({ where: { slug: input.slug } })) throw taken(input.slug);
      const entity = this.repository.create({
        slug: input.slug,
        name: input.name,
        plan: input.plan ?? null,
        status: 'active',
        settings: compact(input.settings ?? {}),
      });
      let row: KwikTenant;
      try {
        row = await this.repository.save(entity);
      } catch (error) {
        if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505')
          throw taken(input.slug);
        throw error;
      }
      const tenant = toTenantRecord(row);
      if (this.storage) {
        try {
          await this.storage.create(tenant);
        } catch (error) {
          await this.repository.delete({ id: tenant.id });
          throw error;
        }
      }
      this.directory.forget(tenant);
      return tenant;
    });
  }

  /** Changes a tenant; 404 when there is none. */
  async update(slug: string, changes: UpdateTenant): Promise<TenantRecord> {
    this.assertSettings(changes.settings);
    return this.session.runUnscoped(async () => {
      const row = await this.repository.findOne({ where: { slug } });
      if (!row) throw tenantNotFound(`"${slug}"`);
      if (changes.name !== undefined) row.name = changes.name;
      if (changes.plan !== undefined) row.plan = changes.plan;
      if (changes.status !== undefined) row.status = changes.status;
      if (changes.settings) row.settings = merge(row.settings ?? {}, changes.settings);
      const saved = toTenantRecord(await this.repository.save(row));
      this.directory.forget(saved);
      return saved;
    });
  }

  /**
   * Removes a tenant: its schema (schema strategy) and its registry row, which — through the
   * app's foreign keys — removes or refuses to orphan its data (409 when a key restricts it).
   */
  deprovision(slug: string): Promise<void> {
    return this.session.runUnscoped(async () => {
      const row = await this.repository.findOne({ where: { slug } });
      if (!row) throw tenantNotFound(`"${slug}"`);
      const tenant = toTenantRecord(row);
      try {
        await this.repository.delete({ id: row.id });
      } catch (error) {
        if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23503')
          throw new ProblemException({
            status: 409,
            kind: ProblemKind.Conflict,
            title: 'Conflict',
            detail: `The organization "${slug}" still owns data a foreign key keeps: delete that data first.`,
          });
        throw error;
      }
      if (this.storage) await this.storage.drop(tenant);
      this.directory.forget(tenant);
    });
  }

  private assertSettings(patch: TenantSettingsDocument | undefined): void {
    if (!patch) return;
    const problems = this.settings.check(patch);
    if (problems.length > 0) throw tenantBadRequest(problems.join('; '));
  }
}

function taken(slug: string): ProblemException {
  return new ProblemException({
    status: 409,
    kind: ProblemKind.Conflict,
    title: 'Conflict',
    detail: `An organization with the slug "${slug}" exists already.`,
  });
}

/** The entries of `o` that are not `null`. */
function withoutNulls<T>(o: Record<string, T | null> | undefined): Record<string, T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== null)) as Record<string, T>;
}

/** Overrides without `null`s (a `null` means "back to the default"). */
function compact(doc: TenantSettingsDocument): TenantSettingsDocument {
  return { values: withoutNulls(doc.values), features: withoutNulls(doc.features) };
}

function merge(current: TenantSettingsDocument, patch: TenantSettingsDocument): TenantSettingsDocument {
  return compact({
    values: { ...current.values, ...patch.values },
    features: { ...current.features, ...patch.features },
  });
}
