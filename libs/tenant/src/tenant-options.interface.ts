import type { Type } from '@nestjs/common';
import type { MigrationInterface } from 'typeorm';
import type { KwikTenant } from './entities/kwik-tenant.entity.js';
import type { TenantResolver } from './resolution/tenant-resolver.js';
import type { TenantSettingsDefinition } from './registry/tenant-settings.definition.js';

/** How tenants' data is kept apart. */
export type TenantStrategy = 'shared' | 'schema';

/** A built-in resolver by name, or your own {@link TenantResolver}. */
export type TenantResolverSpec = 'header' | 'subdomain' | 'token' | TenantResolver;

/** Options of `TenantModule.forRoot()`. */
export interface TenantModuleOptions {
  /** The app's tenant entity (extends {@link KwikTenant}); its table is the tenant registry. */
  tenantEntity: Type<KwikTenant>;
  /**
   * `shared`: one schema, rows carry the tenant id, PostgreSQL row-level security on every
   * `@TenantScoped()` table. `schema`: one PostgreSQL schema per tenant, chosen per statement.
   * @default 'shared'
   */
  strategy?: TenantStrategy;
  /**
   * Where the tenant of a request comes from, tried in order; the first that names one wins. A
   * token's tenant must always match the tenant named otherwise (403).
   * @default ['header', 'subdomain', 'token']
   */
  resolvers?: readonly TenantResolverSpec[];
  /** Whether routes need a tenant (400 without), except those marked `@TenantOptional()`. @default true */
  required?: boolean;
  /** Header naming the tenant by slug. @default 'x-tenant-id' */
  header?: string;
  /** Hosts under which `<slug>.<host>` names a tenant. @default ['localhost'] */
  baseDomains?: readonly string[];
  /** Subdomains that are never tenants. @default ['www', 'api', 'admin'] */
  reservedSubdomains?: readonly string[];
  /** Principal property holding the tenant id of a token or API key. @default 'tenantId' */
  tokenClaim?: string;
  /** How long a resolved tenant is remembered (seconds; 0 = ask the database every time). @default 30 */
  cacheSeconds?: number;
  /** How long an unknown slug is remembered as unknown (seconds). @default 5 */
  negativeCacheSeconds?: number;
  /** Most tenants remembered at once. @default 10000 */
  cacheSize?: number;
  /** Row-level security of the shared strategy. */
  rls?: {
    /** Non-owner role tenant-scoped statements run as, so policies apply. @default 'kwik_app' */
    role?: string;
    /** Setting the policies read. @default 'kwik.tenant_id' */
    setting?: string;
    /** Refuse to boot when a `@TenantScoped()` table has no policy. @default true */
    verify?: boolean;
  };
  /** The schema strategy. */
  schema?: {
    /** Schema name prefix (`tenant_<slug>`). @default 'tenant_' */
    prefix?: string;
    /** Migrations of the tenant-owned tables, run in every tenant schema. */
    migrations?: readonly (Type<MigrationInterface> | MigrationInterface)[];
    /** Schemas migrated at once. @default 8 */
    concurrency?: number;
    /** Migrated template schema that provisioning copies (`null`: run the migrations instead). @default 'kwik_tenant_template' */
    template?: string | null;
    /** Migrate every tenant schema (and the template) at boot. @default true */
    migrateOnBoot?: boolean;
  };
  /** Typed per-tenant settings and feature flags (see `defineTenantSettings`). */
  settings?: TenantSettingsDefinition;
  /**
   * The admin endpoints (mounted at the module's `adminPath`): the permission the caller's
   * principal must carry in `permissions` (exactly, or via `tenants:*` / `*`).
   * @default { permission: 'tenants:manage' }
   */
  admin?: { permission?: string };
}
