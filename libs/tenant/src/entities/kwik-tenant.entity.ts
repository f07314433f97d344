import { Column, Index } from 'typeorm';
import { KwikBaseEntity } from '@kwik/database';

/** Lifecycle states of a tenant: only `active` tenants are served. */
export const TENANT_STATUSES = ['active', 'suspended'] as const;
/** One of {@link TENANT_STATUSES}. */
export type TenantStatus = (typeof TENANT_STATUSES)[number];

/** What a tenant's `settings` column holds: overrides of the declared settings and flags. */
export interface TenantSettingsDocument {
  values?: Record<string, unknown>;
  features?: Record<string, boolean>;
}

/**
 * The columns the tenancy library needs on the app's tenant registry table. Extend it, decorate
 * the subclass with `@Entity()` and pass it as `TenantModule.forRoot({ tenantEntity })`; the
 * app's tenant-owned tables reference its `id`.
 *
 * @example
 * @Entity('tenants')
 * export class Tenant extends KwikTenant {}
 */
export abstract class KwikTenant extends KwikBaseEntity {
  /** URL-safe name used in `X-Tenant-ID` and subdomains (`acme`). */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 63 })
  slug!: string;

  /** Display name. */
  @Column({ type: 'varchar', length: 200 })
  name!: string;

  /** `active` or `suspended` (a suspended tenant's requests get 403). */
  @Column({ type: 'varchar', length: 16, default: 'active' })
  status!: TenantStatus;

  /** Commercial plan, free text the app interprets (`free`, `pro`). */
  @Column({ type: 'varchar', length: 63, nullable: true })
  plan!: string | null;

  /** Overrides of the declared tenant settings and feature flags. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  settings!: TenantSettingsDocument;
}
