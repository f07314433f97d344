import { Injectable } from '@nestjs/common';
import { Repository, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import { ShapedList } from './page/shaped-list.js';
import type { ShapedQuery } from './query/shaped-query.js';
import { ShapeRuntime } from './shape-runtime.js';

/**
 * Builds shaped lists. Pass a query builder that already holds your scoping (tenant, ownership,
 * soft-delete) — the shape's filters, search, keyset and sort are added to it, never replace it.
 *
 * @example
 * return this.lists.list(
 *   this.posts.createQueryBuilder('post').where('post.tenantId = :tenant', { tenant }),
 *   query,
 * );
 */
@Injectable()
export class ShapedLists {
  constructor(private readonly runtime: ShapeRuntime) {}

  list<T extends ObjectLiteral>(
    source: SelectQueryBuilder<T> | Repository<T>,
    query: ShapedQuery,
  ): ShapedList<T> {
    const qb =
      source instanceof Repository ? source.createQueryBuilder(query.shape.name.replace(/\W/g, '_')) : source;
    return new ShapedList(qb, query, this.runtime.codec, this.runtime.pageSql);
  }
}
