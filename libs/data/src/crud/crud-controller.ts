import type { Type } from '@nestjs/common';
import { PartialType } from '@nestjs/swagger';
import type { ObjectLiteral } from 'typeorm';
import type { CrudBulkResult } from '../bulk/bulk.types.js';
import type { ShapedList } from '../page/shaped-list.js';
import type { ShapedQuery } from '../query/shaped-query.js';
import type { CrudHttp } from './crud-http.js';
import {
  CRUD_OPERATIONS,
  type CrudOperation,
  type CrudOptions,
  type ResolvedCrudOptions,
} from './crud-options.interface.js';
import { CrudResourceBase } from './crud-resource.base.js';
import { CrudError, CrudErrorCode } from './crud.errors.js';
import { CRUD_OPTIONS } from './internal/crud-class.js';
import { decorateCrudRoutes } from './internal/crud-routes.js';

/** The class `CrudController()` returns: extend it (its constructor takes nothing). */
export type CrudControllerClass<
  T extends ObjectLiteral,
  C extends object,
  U extends object,
> = abstract new () => CrudResourceBase<T, C, U>;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function invalid(message: string): CrudError {
  return new CrudError(CrudErrorCode.InvalidResource, message);
}

/** `view` with every property optional, named `<View>ListItem` in the OpenAPI document. */
function listItemOf(view: Type<unknown>): Type<unknown> {
  const item = PartialType(view);
  Object.defineProperty(item, 'name', { value: `${view.name}ListItem` });
  return item;
}

function resolve<T extends ObjectLiteral, C extends object, U extends object>(
  options: CrudOptions<T, C, U>,
): ResolvedCrudOptions<T, C, U> {
  const name = options.entity?.name;
  if (typeof options.entity !== 'function')
    throw invalid('CrudController() needs `entity`: the TypeORM entity class.');
  if (options.shape?.entity !== options.entity)
    throw invalid(
      `CrudController({ entity: ${name} }) needs \`shape\`: a defineShape(${name}, {...}) declaration.`,
    );
  const disable = options.disable ?? [];
  const unknown = disable.filter((op) => !(CRUD_OPERATIONS as readonly string[]).includes(op));
  if (unknown.length)
    throw invalid(
      `${name}: disable lists ${unknown.join(', ')}; the operations are ${CRUD_OPERATIONS.join(', ')}.`,
    );
  const enabled = new Set<CrudOperation>(CRUD_OPERATIONS.filter((op) => !disable.includes(op)));
  for (const op of ['create', 'update'] as const) {
    if (enabled.has(op) && !options[op])
      throw invalid(
        `${name}: \`${op}\` needs a DTO class (CrudController({ ${op}: ${op === 'create' ? 'Create' : 'Update'}${name}Dto })), or add '${op}' to disable.`,
      );
  }
  const maxItems = options.bulk?.maxItems ?? 100;
  if (!Number.isInteger(maxItems) || maxItems < 1)
    throw invalid(`${name}: bulk.maxItems must be a whole number of at least 1 (got ${String(maxItems)}).`);
  const decorators = options.decorators ?? {};
  const unknownRoutes = Object.keys(decorators).filter(
    (op) => !(CRUD_OPERATIONS as readonly string[]).includes(op),
  );
  if (unknownRoutes.length)
    throw invalid(
      `${name}: decorators names ${unknownRoutes.join(', ')}; the operations are ${CRUD_OPERATIONS.join(', ')}.`,
    );
  const alias = options.alias ?? name.charAt(0).toLowerCase() + name.slice(1);
  if (!IDENTIFIER.test(alias)) throw invalid(`${name}: alias must be a plain identifier (got "${alias}").`);
  return Object.freeze({
    entity: options.entity,
    shape: options.shape,
    create: options.create,
    update: options.update,
    view: options.view,
    listItem: options.view ? listItemOf(options.view) : undefined,
    relations: Object.freeze([...(options.relations ?? [])]),
    alias,
    maxItems,
    enabled,
    decorators: Object.freeze({ ...decorators }),
    name,
  });
}

/**
 * A CRUD resource over a TypeORM entity: the shaped list, item read with `ETag` / 304, create
 * (201 + `Location`), `PATCH` and `DELETE` with `If-Match` (412 when stale), and all-or-nothing
 * `POST /bulk`. Bodies are validated with the DTO classes; `:id` must be a UUID. Apply
 * `@Controller()` to the subclass; inject what it needs as properties or in its own constructor.
 *
 * @example
 * @Controller('api/posts')
 * export class PostsController extends CrudController({
 *   entity: Post, shape: PostShape, create: CreatePostDto, update: UpdatePostDto,
 *   relations: ['author'], bulk: { maxItems: 100 }, disable: [],
 * }) {
 *   protected override prepareCreate(post: Post) { post.status ??= 'draft'; }
 * }
 */
export function CrudController<T extends ObjectLiteral, C extends object, U extends object>(
  options: CrudOptions<T, C, U>,
): CrudControllerClass<T, C, U> {
  const resolved = resolve(options);

  // Own handlers, so each resource's routes carry their own metadata (paths, DTO types, shape).
  abstract class CrudResource extends CrudResourceBase<T, C, U> {
    static readonly [CRUD_OPTIONS] = resolved;

    override list(query: ShapedQuery): Promise<ShapedList<T>> | ShapedList<T> {
      return super.list(query);
    }
    override get(id: string, http: CrudHttp): Promise<unknown> {
      return super.get(id, http);
    }
    override create(dto: C, http: CrudHttp): Promise<unknown> {
      return super.create(dto, http);
    }
    override update(id: string, dto: U, http: CrudHttp): Promise<unknown> {
      return super.update(id, dto, http);
    }
    override delete(id: string, http: CrudHttp): Promise<void> {
      return super.delete(id, http);
    }
    override bulk(body: unknown): Promise<CrudBulkResult> {
      return super.bulk(body);
    }
  }
  Object.defineProperty(CrudResource, 'name', { value: `${resolved.name}CrudResource` });
  decorateCrudRoutes(CrudResource, resolved);
  return CrudResource;
}
