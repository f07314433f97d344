import type { EntityMetadata, ObjectLiteral, Repository, SelectQueryBuilder } from 'typeorm';
import type { CrudResourceRef } from '../crud-hooks.service.js';
import type { ResolvedCrudOptions } from '../crud-options.interface.js';
import { writableColumns, type ColumnMetadata } from './writable-columns.js';

/** What the CRUD operations read from an entity's metadata, worked out once per resource. */
export class CrudResourceMeta<T extends ObjectLiteral> {
  readonly ref: CrudResourceRef;
  readonly writable: ColumnMetadata[];
  private readonly primary: ColumnMetadata;
  private readonly version: ColumnMetadata;

  constructor(
    private readonly options: ResolvedCrudOptions<T, object, object>,
    metadata: EntityMetadata,
  ) {
    // CrudExplorer checked at boot that there is exactly one primary column and a version column.
    this.primary = metadata.primaryColumns[0]!;
    this.version = metadata.versionColumn!;
    this.writable = writableColumns(metadata);
    this.ref = Object.freeze({
      entity: options.entity,
      metadata,
      name: options.name,
      alias: options.alias,
    });
  }

  idOf(entity: ObjectLiteral): string {
    return String(this.primary.getEntityValue(entity));
  }

  versionOf(entity: ObjectLiteral): number {
    return Number(this.version.getEntityValue(entity));
  }

  /** `{ id, version }` criteria of a compare-and-set write. */
  versioned(id: string, version: number): Record<string, unknown> {
    return { [this.primary.propertyName]: id, [this.version.propertyName]: version };
  }

  /** The entity with the declared relations joined and selected as `author`, `author_profile` (no conditions yet). */
  itemQuery(repository: Repository<T>): SelectQueryBuilder<T> {
    const { alias, relations } = this.options;
    const qb = repository.createQueryBuilder(alias);
    for (const path of relations) {
      const dot = path.lastIndexOf('.');
      const parent = dot < 0 ? alias : path.slice(0, dot).replace(/\./g, '_');
      qb.leftJoinAndSelect(`${parent}.${path.slice(dot + 1)}`, path.replace(/\./g, '_'));
    }
    return qb;
  }

  whereId(qb: SelectQueryBuilder<T>, id: string): SelectQueryBuilder<T> {
    return qb.andWhere(`${qb.alias}.${this.primary.propertyPath} = :kwikCrudId`, { kwikCrudId: id });
  }
}
