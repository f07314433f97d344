import { Inject } from '@nestjs/common';
import { ProblemException, ProblemKind } from '@kwik/core';
import { TransactionManager } from '@kwik/database';
import { DataSource, type DeepPartial, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import type { CrudBulkResult } from '../bulk/bulk.types.js';
import { parseBulkRequest } from '../bulk/parse-bulk-request.js';
import { runBulk } from '../bulk/run-bulk.js';
import type { ShapedList } from '../page/shaped-list.js';
import type { ShapedQuery } from '../query/shaped-query.js';
import { ShapedLists } from '../shaped-lists.service.js';
import { CrudHooks, type CrudHook, type CrudHookContext } from './crud-hooks.service.js';
import { itemLocation, type CrudHttp } from './crud-http.js';
import type { CrudAction, ResolvedCrudOptions } from './crud-options.interface.js';
import {
  ifMatchHolds,
  ifNoneMatchMatches,
  parseEntityTags,
  versionEtag,
  type EntityTagCondition,
} from './etag.js';
import { crudOptionsOf, inheritRoutes } from './internal/crud-class.js';
import { DbFailureProblem, describeDbFailure } from './internal/db-failure.js';
import { CrudResourceMeta } from './internal/crud-resource-meta.js';
import { applyDto, changedColumns, snapshotColumns } from './internal/writable-columns.js';

/**
 * The behaviour behind `CrudController()`: route handlers, the transactional item operations they
 * use, and protected hooks to override. Extend `CrudController({...})`, not this class.
 *
 * Overriding a handler (`list`, `get`, `create`, `update`, `delete`, `bulk`) keeps its route,
 * parameters and OpenAPI description; call `super.<handler>(...)` for the default. Global hooks
 * registered in {@link CrudHooks} always run first, whatever a subclass overrides.
 */
export abstract class CrudResourceBase<
  T extends ObjectLiteral,
  C extends object = object,
  U extends object = object,
> {
  @Inject(ShapedLists) protected readonly lists!: ShapedLists;
  @Inject(TransactionManager) protected readonly transactions!: TransactionManager;
  @Inject(CrudHooks) protected readonly crudHooks!: CrudHooks;
  @Inject(DataSource) protected readonly dataSource!: DataSource;
  private meta: CrudResourceMeta<T> | undefined;
  private options: ResolvedCrudOptions<T, C, U> | undefined;

  constructor() {
    inheritRoutes(new.target);
  }

  /** The resource's declaration, as `CrudController()` resolved it. */
  protected get crud(): ResolvedCrudOptions<T, C, U> {
    return (this.options ??= crudOptionsOf<T, C, U>(this.constructor));
  }

  /** The entity metadata the operations use (read once). */
  protected get resource(): CrudResourceMeta<T> {
    this.meta ??= new CrudResourceMeta(this.crud, this.dataSource.getMetadata(this.crud.entity));
    return this.meta;
  }

  // ---- route handlers ---------------------------------------------------------------------

  /** `GET /`: the shaped list (filters, sort, fields, cursors, search, CSV), scoped by the hooks. */
  list(query: ShapedQuery): Promise<ShapedList<T>> | ShapedList<T> {
    const qb = this.transactions.getRepository(this.crud.entity).createQueryBuilder(this.crud.alias);
    // Hooks that finish synchronously are not awaited: on the hot list path every await costs a
    // microtask and, on Node 20, async-hook work for the request context.
    const scoped = this.applyScope(qb, 'list', false);
    const authorize = (): Promise<ShapedList<T>> | ShapedList<T> => {
      const authorized = this.runAuthorize('list', false);
      return authorized ? authorized.then(() => this.lists.list(qb, query)) : this.lists.list(qb, query);
    };
    return scoped ? scoped.then(authorize) : authorize();
  }

  /** `GET /:id`: the item with a strong `ETag`; an `If-None-Match` it satisfies → 304 without a body. */
  async get(id: string, http: CrudHttp): Promise<unknown> {
    const condition = parseEntityTags(http.request.headers['if-none-match'], 'If-None-Match');
    const entity = await this.findOne(id, 'get');
    const version = this.resource.versionOf(entity);
    http.reply.header('etag', versionEtag(version));
    if (condition && ifNoneMatchMatches(condition, version)) {
      http.reply.status(304);
      return undefined;
    }
    return this.toView(entity);
  }

  /** `POST /`: 201 with the item, its `ETag` and a `Location` pointing at it. */
  async create(dto: C, http: CrudHttp): Promise<unknown> {
    const entity = await this.createOne(dto);
    http.reply.header('location', itemLocation(http.request.url, this.resource.idOf(entity)));
    http.reply.header('etag', versionEtag(this.resource.versionOf(entity)));
    return this.toView(entity);
  }

  /** `PATCH /:id`: applies the DTO; `If-Match` not matching the current version → 412. */
  async update(id: string, dto: U, http: CrudHttp): Promise<unknown> {
    const condition = parseEntityTags(http.request.headers['if-match'], 'If-Match');
    const entity = await this.updateOne(id, dto, condition);
    http.reply.header('etag', versionEtag(this.resource.versionOf(entity)));
    return this.toView(entity);
  }

  /** `DELETE /:id`: 204; `If-Match` not matching the current version → 412. */
  async delete(id: string, http: CrudHttp): Promise<void> {
    await this.deleteOne(id, parseEntityTags(http.request.headers['if-match'], 'If-Match'));
  }

  /** `POST /bulk`: creates, updates and deletes in one transaction, all or nothing. */
  async bulk(body: unknown): Promise<CrudBulkResult> {
    const { create, update, maxItems, enabled } = this.crud;
    const allowed = new Set((['create', 'update', 'delete'] as const).filter((op) => enabled.has(op)));
    const request = await parseBulkRequest(body, { create, update, maxItems, allowed });
    return runBulk(this.transactions, request, {
      create: async (dto) => this.toView(await this.createOne(dto, true)),
      update: async (id, dto) => this.toView(await this.updateOne(id, dto, undefined, true)),
      delete: (id) => this.deleteOne(id, undefined, true),
    });
  }

  // ---- hooks to override ------------------------------------------------------------------

  /** Adds conditions (`qb.andWhere(...)`, alias `qb.alias`) to reads and to the lookup before writes. */
  protected scope(_qb: SelectQueryBuilder<T>, _action: CrudAction): void | Promise<void> {}

  /** Refuses an action by throwing (a 403 problem); `entity` is absent for `list`. */
  protected authorize(_action: CrudAction, _entity?: T, _dto?: C | U): void | Promise<void> {}

  /** Sets server-owned fields of a new row (owner, defaults) before it is inserted. */
  protected prepareCreate(_entity: T, _dto: C): void | Promise<void> {}

  /** Adjusts a row after the DTO was applied, before it is written (`publishedAt` on publish). */
  protected prepareUpdate(_entity: T, _dto: U): void | Promise<void> {}

  /** What clients receive for one item. @default the entity as loaded (with `relations`) */
  protected toView(entity: T): unknown {
    return entity;
  }

  // ---- operations (transactional; join an outer TransactionManager.run()) -----------------

  /** The item in scope with its relations, authorized for `action` (`lock`: `FOR UPDATE`); a 404 problem otherwise. */
  protected async findOne(
    id: string,
    action: CrudAction,
    options: { bulk?: boolean; dto?: C | U; lock?: boolean } = {},
  ): Promise<T> {
    const bulk = options.bulk ?? false;
    const qb = this.resource.itemQuery(this.transactions.getRepository(this.crud.entity));
    // Locks the row only (not the joined ones); needs a transaction, as update and delete have.
    // TypeORM writes `FOR UPDATE OF <table>` as given: quoted, so a camelCase alias (`orderItem`) holds.
    if (options.lock) qb.setLock('pessimistic_write', undefined, [qb.escape(qb.alias)]);
    await this.applyScope(qb, action, bulk);
    const entity = await this.resource.whereId(qb, id).getOne();
    if (!entity) throw this.notFound(id);
    await this.runAuthorize(action, bulk, entity, options.dto);
    return entity;
  }

  /** Inserts a row from a validated DTO (hooks, then `prepareCreate`, then `authorize`); returns it reloaded. */
  protected createOne(dto: C, bulk = false): Promise<T> {
    return this.transactions.run(async (em) => {
      const repository = em.getRepository(this.crud.entity);
      const entity = repository.create(dto as unknown as DeepPartial<T>);
      const context = this.context('create', bulk);
      await this.runHooks(
        (hook) => hook.prepareCreate?.(entity, dto, context),
        () => this.prepareCreate(entity, dto),
      );
      await this.runAuthorize('create', bulk, entity, dto);
      const { identifiers } = await this.write(() => repository.insert(entity as never));
      return this.reload(this.resource.idOf(identifiers[0] as T));
    });
  }

  /**
   * Applies a validated DTO to the row in scope (read `FOR UPDATE`, so concurrent writes queue) and
   * writes the changed columns with `UPDATE … WHERE id = :id AND version = :read` — the version goes
   * up by one. An `If-Match` the version read does not satisfy is a 412.
   */
  protected updateOne(id: string, dto: U, condition?: EntityTagCondition, bulk = false): Promise<T> {
    return this.transactions.run(async (em) => {
      const entity = await this.findOne(id, 'update', { bulk, dto, lock: true });
      const version = this.resource.versionOf(entity);
      if (condition && !ifMatchHolds(condition, version)) throw this.preconditionFailed(version);
      const columns = this.resource.writable;
      const before = snapshotColumns(entity, columns);
      applyDto(entity, dto, columns);
      const context = this.context('update', bulk);
      await this.runHooks(
        (hook) => hook.prepareUpdate?.(entity, dto, context),
        () => this.prepareUpdate(entity, dto),
      );
      const changes = changedColumns(before, entity, columns);
      if (!changes) return entity;
      const { affected } = await this.write(() =>
        em
          .getRepository(this.crud.entity)
          .update(this.resource.versioned(id, version) as never, changes as never),
      );
      if (affected !== 1) throw this.raceLost(condition);
      return this.reload(id);
    });
  }

  /** Deletes the row in scope (read `FOR UPDATE`) with `DELETE … WHERE id = :id AND version = :read`. */
  protected deleteOne(id: string, condition?: EntityTagCondition, bulk = false): Promise<void> {
    return this.transactions.run(async (em) => {
      const entity = await this.findOne(id, 'delete', { bulk, lock: true });
      const version = this.resource.versionOf(entity);
      if (condition && !ifMatchHolds(condition, version)) throw this.preconditionFailed(version);
      const { affected } = await this.write(() =>
        em.getRepository(this.crud.entity).delete(this.resource.versioned(id, version) as never),
      );
      if (affected !== 1) throw this.raceLost(condition);
    });
  }

  // ---- internals --------------------------------------------------------------------------

  private async reload(id: string): Promise<T> {
    const qb = this.resource.itemQuery(this.transactions.getRepository(this.crud.entity));
    return this.resource.whereId(qb, id).getOneOrFail();
  }

  private context(action: CrudAction, bulk: boolean): CrudHookContext {
    return { action, bulk, resource: this.resource.ref };
  }

  /**
   * Runs a hook point: every global hook's step, then the class's own, each after the previous one
   * finished. A promise only when one of them is async (every await on the hot list path costs).
   */
  private runHooks(step: (hook: CrudHook) => unknown, own: () => unknown): Promise<void> | undefined {
    const hooks = this.crudHooks.list();
    return inOrder(hooks.length + 1, (i) => (i < hooks.length ? step(hooks[i]!) : own()));
  }

  private applyScope(
    qb: SelectQueryBuilder<T>,
    action: CrudAction,
    bulk: boolean,
  ): Promise<void> | undefined {
    const context = this.context(action, bulk);
    return this.runHooks(
      (hook) => hook.scope?.(qb as unknown as SelectQueryBuilder<ObjectLiteral>, context),
      () => this.scope(qb, action),
    );
  }

  private runAuthorize(
    action: CrudAction,
    bulk: boolean,
    entity?: T,
    dto?: C | U,
  ): Promise<void> | undefined {
    const context = this.context(action, bulk);
    return this.runHooks(
      (hook) => hook.authorize?.(context, entity, dto),
      () => this.authorize(action, entity, dto),
    );
  }

  private async write<R>(work: () => Promise<R>): Promise<R> {
    try {
      return await work();
    } catch (error) {
      const failure = describeDbFailure(error);
      if (failure) throw new DbFailureProblem(failure, this.crud.name);
      throw error;
    }
  }

  /** 0 rows written although the row was read locked: something outside this request wrote it. */
  private raceLost(condition: EntityTagCondition | undefined): ProblemException {
    if (condition) return this.preconditionFailed();
    return new ProblemException({
      status: 409,
      kind: ProblemKind.Conflict,
      title: 'Conflict',
      detail: `The ${this.crud.name} was changed by a concurrent request; retry.`,
    });
  }

  private notFound(id: string): ProblemException {
    return new ProblemException({
      status: 404,
      kind: ProblemKind.NotFound,
      title: 'Not Found',
      detail: `${this.crud.name} ${id} does not exist`,
    });
  }

  private preconditionFailed(current?: number): ProblemException {
    return new ProblemException({
      status: 412,
      kind: ProblemKind.PreconditionFailed,
      title: 'Precondition Failed',
      detail: `The ${this.crud.name} has changed since the ETag in If-Match was read${current === undefined ? '' : ` (it is now at ${versionEtag(current)})`}: read it again and retry.`,
      headers: current === undefined ? undefined : { etag: versionEtag(current) },
    });
  }
}

/**
 * Calls steps `0..count-1` one after the other: synchronously while they return plain values, then
 * chained on the first promise. Undefined when every step was synchronous.
 */
function inOrder(count: number, call: (i: number) => unknown, from = 0): Promise<void> | undefined {
  for (let i = from; i < count; i++) {
    const result = call(i);
    if (result instanceof Promise) return result.then(() => inOrder(count, call, i + 1));
  }
  return undefined;
}
