import type { DataSource } from 'typeorm';
import type { SchemaMigrateOptions } from './schema-migrator-options.interface.js';
import type { SchemaMigrationReport } from './schema-migration-report.js';
import { grantSchemaTo } from './schema-grants.js';
import type { TenantSchemaMigrator } from './schema-migrator.js';

/**
 * Brings `schemas` up to date, as the boot and the `kwik-tenant` CLI both do: creates the missing
 * ones, migrates them several at once, and grants `role` (when it exists) the schemas in which
 * something was applied — once granted, a schema's default privileges cover the tables later
 * migrations add, so schemas with nothing new are not granted again.
 */
export async function migrateTenantSchemas(
  dataSource: DataSource,
  migrator: TenantSchemaMigrator,
  schemas: readonly string[],
  role: string,
  options: SchemaMigrateOptions = {},
): Promise<SchemaMigrationReport> {
  for (const schema of schemas) await migrator.createSchema(schema);
  const report = await migrator.migrate([...schemas], options);
  const changed = [
    ...report.migrated.map((m) => m.schema),
    ...report.failed.filter((f) => f.applied.length > 0).map((f) => f.schema),
  ];
  const [exists] = (await dataSource.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])) as unknown[];
  if (exists) for (const schema of changed) await grantSchemaTo(dataSource, schema, role);
  return report;
}
