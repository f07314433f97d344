import { Injectable } from '@nestjs/common';
import { NamedHooks } from '@kwik/core';
import type { EntityMetadata, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { EntityClass } from '../shape/shape.types.js';
import type { CrudAction } from './crud-options.interface.js';

/** The resource a hook runs for. */
export interface CrudResourceRef {
  /** The entity class. */
  readonly entity: EntityClass<ObjectLiteral>;
  /** Its TypeORM metadata (check `metadata.findColumnWithPropertyName('tenantId')` before filtering on it). */
  readonly metadata: EntityMetadata;
  /** The entity's name (`Post`). */
  readonly name: string;
  /** The alias of the entity in the query builders hooks receive (`post`). */
  readonly alias: string;
}

/** What a hook is told about the operation it runs in. */
export interface CrudHookContext {
  readonly action: CrudAction;
  readonly resource: CrudResourceRef;
  /** True for the items of `POST /<resource>/bulk`. */
  readonly bulk: boolean;
}

/**
 * A global hook: every CRUD resource runs it, before the resource's own protected hooks. Every
 * member is optional; each may be async. Throw a `ProblemException` (403, 404...) to refuse.
 */
export interface CrudHook {
  /** Unique name; registering another hook with the same name replaces it. */
  readonly name: string;
  /** Adds conditions to every read and to the lookup before every update and delete (`list`, `get`, `update`, `delete`). */
  scope?(qb: SelectQueryBuilder<ObjectLiteral>, context: CrudHookContext): void | Promise<void>;
  /** Refuses an action; `entity` is the row (loaded, or about to be inserted), absent for `list`. */
  authorize?(context: CrudHookContext, entity?: ObjectLiteral, dto?: object): void | Promise<void>;
  /** Sets server-owned fields of a new row (tenant, owner) before it is inserted. */
  prepareCreate?(entity: ObjectLiteral, dto: object, context: CrudHookContext): void | Promise<void>;
  /** Adjusts a row after the DTO was applied, before it is written. */
  prepareUpdate?(entity: ObjectLiteral, dto: object, context: CrudHookContext): void | Promise<void>;
}

/**
 * Where other libraries (tenancy, auth, soft delete) plug into every CRUD resource without the data
 * library importing them. Register from a provider's constructor or `onModuleInit`.
 *
 * @example
 * @Injectable()
 * class TenantCrudHook {
 *   constructor(hooks: CrudHooks, ctx: RequestContext) {
 *     hooks.register({
 *       name: 'tenant',
 *       scope: (qb, { resource }) => {
 *         if (resource.metadata.findColumnWithPropertyName('tenantId'))
 *           qb.andWhere(`${qb.alias}.tenantId = :kwikTenant`, { kwikTenant: ctx.tenant?.id });
 *       },
 *       prepareCreate: (entity) => { entity.tenantId = ctx.tenant?.id; },
 *     });
 *   }
 * }
 */
@Injectable()
export class CrudHooks extends NamedHooks<CrudHook> {}
