import type { ObjectLiteral, SelectQueryBuilder, EntityMetadata } from 'typeorm';
import { tenantScopeOf } from '../decorators/tenant-scoped.decorator.js';

/** The part of `@kwik/data`'s `CrudHookContext` this hook reads. */
interface CrudResourceContext {
  readonly resource: { readonly metadata: EntityMetadata };
}

/** A CRUD hook (structurally `@kwik/data`'s `CrudHook`) that scopes every resource of a `@TenantScoped()` entity. */
export interface TenantCrudHook {
  readonly name: string;
  scope(qb: SelectQueryBuilder<ObjectLiteral>, context: CrudResourceContext): void;
  prepareCreate(entity: ObjectLiteral, dto: object, context: CrudResourceContext): void;
}

/**
 * The tenant filter of CRUD resources: reads, and the lookups before updates and deletes, are
 * limited to the current tenant (an explicit `tenantId = $n` the planner can use with the tenant's
 * indexes, on top of row-level security), and new rows get the tenant. Register it with
 * `@kwik/data`'s `CrudHooks`.
 *
 * @example
 * hooks.register(tenantCrudHook(() => this.tenants.current?.id));
 */
export function tenantCrudHook(currentTenantId: () => string | undefined): TenantCrudHook {
  return {
    name: 'kwik:tenant',
    scope(qb, { resource }) {
      const scope = tenantScopeOf(resource.metadata.target as Function);
      if (!scope) return;
      // No tenant on an optional route: row-level security does not apply to the owner role, so
      // the filter must not be skipped — an impossible id keeps the answer empty.
      qb.andWhere(`${qb.alias}.${scope.property} = :kwikTenantId`, {
        kwikTenantId: currentTenantId() ?? '00000000-0000-0000-0000-000000000000',
      });
    },
    prepareCreate(entity, _dto, { resource }) {
      const scope = tenantScopeOf(resource.metadata.target as Function);
      const tenant = currentTenantId();
      if (scope && tenant) entity[scope.property] = tenant;
    },
  };
}
