import type { Type } from '@nestjs/common';
import type { ObjectLiteral } from 'typeorm';
import type { Shape } from '../shape/define-shape.js';
import type { EntityClass } from '../shape/shape.types.js';

/** The routes a CRUD resource can serve; each one can be disabled. */
export const CRUD_OPERATIONS = ['list', 'get', 'create', 'update', 'delete', 'bulk'] as const;

/** One route of a CRUD resource: `list`, `get`, `create`, `update`, `delete` or `bulk`. */
export type CrudOperation = (typeof CRUD_OPERATIONS)[number];

/** What a request does to the rows, as hooks see it (a bulk request runs `create` / `update` / `delete`). */
export type CrudAction = Exclude<CrudOperation, 'bulk'>;

/** Options of `bulk` (`POST /<resource>/bulk`). */
export interface CrudBulkOptions {
  /** Most items one request may hold, counting `create`, `update` and `delete` together. @default 100 */
  maxItems?: number;
}

/**
 * Declaration of a CRUD resource, passed to `CrudController()`.
 *
 * @example
 * CrudController({ entity: Post, shape: PostShape, create: CreatePostDto, update: UpdatePostDto,
 *   relations: ['author'], bulk: { maxItems: 100 }, disable: ['delete'] })
 */
export interface CrudOptions<T extends ObjectLiteral, C extends object = object, U extends object = object> {
  /** The TypeORM entity: a single UUID primary key and a `@VersionColumn()` (`KwikBaseEntity` has both). */
  entity: EntityClass<T>;
  /** The list shape of `GET /` (`defineShape()` over the same entity). */
  shape: Shape<T>;
  /** DTO class validating `POST /` bodies and bulk `create` items. Required unless `create` is disabled. */
  create?: Type<C>;
  /** DTO class validating `PATCH /:id` bodies and bulk `update` items (usually `PartialType(create)`). Required unless `update` is disabled. */
  update?: Type<U>;
  /**
   * A class describing one item as clients receive it (`@ApiProperty()` on each field), for the
   * OpenAPI document: `get`, `create` and `update` answer it, `bulk` lists of it, and `list` pages
   * of it with every field optional (`fields=` selects some). Documentation only: nothing is
   * converted. @default none — the responses are described in words
   */
  view?: Type<unknown>;
  /** Relations joined and selected when an item is read (`['author']`). @default [] */
  relations?: readonly string[];
  /** Alias of the entity in the query builders the hooks receive. @default the entity name in lower camel case (`post`) */
  alias?: string;
  /** Bulk writes. @default { maxItems: 100 } */
  bulk?: CrudBulkOptions;
  /** Routes not to serve (no route is registered: requests get a 404). @default [] */
  disable?: readonly CrudOperation[];
  /**
   * More method decorators per route, applied after the route's own (caching, rate limits,
   * permissions...), e.g. `{ list: [Cache({ ttl: '30s', vary: ['user'], tags: ['posts'] })],
   * update: [CacheEvict({ tags: ['posts'] })] }`.
   * @default {}
   */
  decorators?: Partial<Record<CrudOperation, readonly MethodDecorator[]>>;
}

/** {@link CrudOptions} checked and defaulted once, when `CrudController()` runs. */
export interface ResolvedCrudOptions<T extends ObjectLiteral, C extends object, U extends object> {
  readonly entity: EntityClass<T>;
  readonly shape: Shape<T>;
  readonly create: Type<C> | undefined;
  readonly update: Type<U> | undefined;
  readonly view: Type<unknown> | undefined;
  /** `view` with every field optional (`<View>ListItem`), for list items. */
  readonly listItem: Type<unknown> | undefined;
  readonly relations: readonly string[];
  readonly alias: string;
  readonly maxItems: number;
  readonly enabled: ReadonlySet<CrudOperation>;
  readonly decorators: Partial<Record<CrudOperation, readonly MethodDecorator[]>>;
  /** The entity's name in messages (`Post`). */
  readonly name: string;
}
