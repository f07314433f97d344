import 'reflect-metadata';
import { Column, Index, getMetadataArgsStorage } from 'typeorm';

const TENANT_SCOPED = Symbol.for('kwik:tenant:scoped');

/** Options of {@link TenantScoped}. */
export interface TenantScopedOptions {
  /** The entity property holding the tenant id (a `uuid` column). @default 'tenantId' */
  property?: string;
}

/**
 * Marks an entity as tenant-owned. With the shared strategy its rows are stamped with the current
 * tenant on insert, CRUD queries are filtered by it, and PostgreSQL row-level security (which
 * the boot check insists on) hides other tenants' rows from every statement, raw SQL included.
 * With the schema strategy its table lives in each tenant's schema. The entity gets an indexed
 * `uuid` column for the tenant (`tenantId`) unless it declares one itself — declare it to add a
 * relation or a composite index.
 *
 * @example
 * @TenantScoped()
 * @Entity('posts')
 * export class Post extends KwikBaseEntity {
 *   @Column() title!: string;   // + tenantId uuid NOT NULL, indexed
 * }
 */
export function TenantScoped(options: TenantScopedOptions = {}): ClassDecorator {
  const property = options.property ?? 'tenantId';
  return (target) => {
    Reflect.defineMetadata(TENANT_SCOPED, { property }, target);
    // Property decorators ran before this class decorator: a declared column is already recorded.
    const declared = getMetadataArgsStorage()
      .filterColumns(target)
      .some((column) => column.propertyName === property);
    if (!declared) {
      Column({ type: 'uuid' })(target.prototype as object, property);
      Index()(target.prototype as object, property);
    }
  };
}

/** The tenant property of a `@TenantScoped()` entity class, or undefined when it is not one. */
export function tenantScopeOf(target: Function | string | undefined): { property: string } | undefined {
  if (typeof target !== 'function') return undefined;
  return Reflect.getMetadata(TENANT_SCOPED, target) as { property: string } | undefined;
}
