import 'reflect-metadata';

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
 * With the schema strategy its table lives in each tenant's schema.
 *
 * @example
 * @TenantScoped()
 * @Entity('posts')
 * export class Post extends KwikBaseEntity {
 *   @Column({ type: 'uuid' }) tenantId!: string;
 * }
 */
export function TenantScoped(options: TenantScopedOptions = {}): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(TENANT_SCOPED, { property: options.property ?? 'tenantId' }, target);
  };
}

/** The tenant property of a `@TenantScoped()` entity class, or undefined when it is not one. */
export function tenantScopeOf(target: Function | string | undefined): { property: string } | undefined {
  if (typeof target !== 'function') return undefined;
  return Reflect.getMetadata(TENANT_SCOPED, target) as { property: string } | undefined;
}
