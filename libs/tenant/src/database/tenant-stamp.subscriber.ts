import type { EntitySubscriberInterface, InsertEvent, ObjectLiteral, UpdateEvent } from 'typeorm';
import { ProblemException, ProblemKind, type RequestContext } from '@kwik/core';
import { tenantScopeOf } from '../decorators/tenant-scoped.decorator.js';

/**
 * Stamps new rows of `@TenantScoped()` entities with the current tenant, and refuses (403) a row
 * written for another tenant or moved to one — before PostgreSQL's row-level security would.
 */
export class TenantStampSubscriber implements EntitySubscriberInterface<ObjectLiteral> {
  constructor(private readonly context: RequestContext) {}

  beforeInsert(event: InsertEvent<ObjectLiteral>): void {
    const scope = tenantScopeOf(event.metadata.target as Function);
    const tenant = this.context.tenant;
    if (!scope || !tenant || !event.entity) return;
    const current = event.entity[scope.property] as unknown;
    if (current === undefined || current === null) event.entity[scope.property] = tenant.id;
    else if (current !== tenant.id) throw crossTenantWrite(event.metadata.name);
  }

  beforeUpdate(event: UpdateEvent<ObjectLiteral>): void {
    const scope = tenantScopeOf(event.metadata.target as Function);
    const tenant = this.context.tenant;
    if (!scope || !tenant || !event.entity) return;
    const next = (event.entity as ObjectLiteral)[scope.property] as unknown;
    if (next !== undefined && next !== tenant.id) throw crossTenantWrite(event.metadata.name);
  }
}

function crossTenantWrite(entity: string): ProblemException {
  return new ProblemException({
    status: 403,
    kind: ProblemKind.Forbidden,
    title: 'Forbidden',
    detail: `A ${entity} can only be written for the organization of the request.`,
  });
}
