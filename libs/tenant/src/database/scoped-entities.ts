import type { DataSource, EntityMetadata } from 'typeorm';
import { tenantScopeOf } from '../decorators/tenant-scoped.decorator.js';
import { TenantError, TenantErrorCode } from '../tenant.errors.js';

/** A `@TenantScoped()` entity: its metadata, tenant property and column. */
export interface ScopedEntity {
  readonly metadata: EntityMetadata;
  readonly property: string;
  readonly column: string;
  /** Schema of the table, when the entity names one. */
  readonly schema: string | undefined;
  readonly table: string;
}

/**
 * The data source's `@TenantScoped()` entities; throws `KWIK_TENANT_INVALID_ENTITY` listing every
 * entity whose tenant property is not a `uuid` column.
 */
export function scopedEntities(dataSource: DataSource): ScopedEntity[] {
  const found: ScopedEntity[] = [];
  const problems: string[] = [];
  for (const metadata of dataSource.entityMetadatas) {
    const scope = tenantScopeOf(metadata.target as Function);
    if (!scope) continue;
    const column = metadata.findColumnWithPropertyName(scope.property);
    if (!column) {
      problems.push(
        `${metadata.name} has no column "${scope.property}": add @Column({ type: 'uuid' }) ${scope.property}!: string`,
      );
      continue;
    }
    if (column.type !== 'uuid')
      problems.push(
        `${metadata.name}.${scope.property} must be a uuid column (it is ${String(column.type)})`,
      );
    found.push({
      metadata,
      property: scope.property,
      column: column.databaseName,
      schema: metadata.schema,
      table: metadata.tableName,
    });
  }
  if (problems.length > 0)
    throw new TenantError(
      TenantErrorCode.InvalidEntity,
      `@TenantScoped() entities are invalid:\n- ${problems.join('\n- ')}`,
    );
  return found;
}
