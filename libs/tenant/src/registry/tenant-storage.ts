import type { TenantRecord } from '../resolution/tenant-record.js';

/**
 * Where a tenant's data lives beyond its registry row: nothing more with the shared strategy, its
 * own PostgreSQL schema with the schema strategy (`TenantSchemas`). The registry calls it when it
 * provisions and removes tenants.
 */
export abstract class TenantStorage {
  /** Makes room for a new tenant's data (creates and migrates its schema). */
  abstract create(tenant: TenantRecord): Promise<void>;
  /** Removes a tenant's data (drops its schema). */
  abstract drop(tenant: TenantRecord): Promise<void>;
}
