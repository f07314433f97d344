import type { ObjectLiteral } from 'typeorm';
import type { EntityClass, ShapeDeclaration } from './shape.types.js';

/**
 * A resource's list shape: the entity and what clients may filter, sort, select and search.
 * Created once with {@link defineShape}; checked against the entity's TypeORM metadata when the
 * app boots (a field that is not a column, or an operator the column's type cannot do, stops the
 * boot with `KWIK_DATA_INVALID_SHAPE`).
 */
export class Shape<T extends ObjectLiteral = ObjectLiteral> {
  constructor(
    readonly entity: EntityClass<T>,
    readonly declaration: Readonly<ShapeDeclaration<T>>,
  ) {}
}

/**
 * Declares what clients may do with a resource's list — one declaration drives the query parser,
 * the SQL, the signed cursors and the OpenAPI parameters.
 *
 * @example
 * export const PostShape = defineShape(Post, {
 *   fields: ['id', 'title', 'status', 'publishedAt', 'author.email'],
 *   filter: { status: ['eq', 'in'], views: 'comparable', 'author.email': 'text' },
 *   sort: ['publishedAt', 'views'],
 *   defaultSort: '-publishedAt',
 *   search: { fields: { title: 'A', body: 'B' } },
 * });
 */
export function defineShape<T extends ObjectLiteral>(
  entity: EntityClass<T>,
  declaration: ShapeDeclaration<T>,
): Shape<T> {
  return new Shape(entity, Object.freeze({ ...declaration }));
}
