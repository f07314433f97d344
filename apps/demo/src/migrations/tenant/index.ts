import type { MigrationInterface } from 'typeorm';
import { TenantPosts1795600000000 } from './1795600000000-tenant-posts.js';
import { TenantPostExcerpt1795700000001 } from './1795700000001-tenant-post-excerpt.js';
import { CreateTenantProducts1796350154493 } from './1796350154493-create-tenant-products.js';

/**
 * The migrations of the tenant-owned tables, run in every tenant's schema with
 * `KWIK_TENANT_STRATEGY=schema` (with `shared` the main migrations create these tables in `public`).
 */
export const DEMO_TENANT_MIGRATIONS: (new () => MigrationInterface)[] = [
  TenantPosts1795600000000,
  TenantPostExcerpt1795700000001,
  CreateTenantProducts1796350154493,
];
