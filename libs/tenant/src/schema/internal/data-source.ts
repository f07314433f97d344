import type { DataSource } from 'typeorm';
import { TenantSchemaError, TenantSchemaErrorCode } from '../tenant-schema.errors.js';

/** pg-pool's own default `max`. */
const PG_POOL_DEFAULT_MAX = 10;

/** Throws `KWIK_TENANT_DATA_SOURCE_NOT_READY` unless `dataSource` is an initialised PostgreSQL data source. */
export function requireReady(dataSource: DataSource, action: string): void {
  if (!dataSource?.isInitialized) {
    throw new TenantSchemaError(
      TenantSchemaErrorCode.DataSourceNotReady,
      `${action} needs an initialised data source: call \`await dataSource.initialize()\` first (in Nest, inject the DataSource once TypeOrmModule has connected).`,
    );
  }
  if (dataSource.options.type !== 'postgres') {
    throw new TenantSchemaError(
      TenantSchemaErrorCode.DataSourceNotReady,
      `${action} needs a PostgreSQL data source (got type "${dataSource.options.type}"): tenant schemas are a PostgreSQL feature.`,
    );
  }
}

/** The pool's maximum size, read from the options the driver builds the pg pool from (`extra.max` wins, as there). */
export function poolSize(dataSource: DataSource): number {
  const options = dataSource.options as { poolSize?: unknown; extra?: { max?: unknown } };
  const max = options.extra?.max ?? options.poolSize;
  return typeof max === 'number' && Number.isInteger(max) && max > 0 ? max : PG_POOL_DEFAULT_MAX;
}
