import type { EntityMetadata, ObjectLiteral } from 'typeorm';

/** A column of an entity's TypeORM metadata. */
export type ColumnMetadata = EntityMetadata['columns'][number];

/**
 * The columns a client's DTO (and an update) may write: plain, updatable columns that are not the
 * key, the version, a timestamp TypeORM keeps, or generated. A foreign key counts when it is declared
 * as its own `@Column` (`authorId`), not when it only exists behind a relation (`author`).
 */
export function writableColumns(metadata: EntityMetadata): ColumnMetadata[] {
  return metadata.columns.filter(
    (c) =>
      c.isUpdate &&
      !c.isPrimary &&
      !c.isVersion &&
      !c.isCreateDate &&
      !c.isUpdateDate &&
      !c.isDeleteDate &&
      !c.isVirtual &&
      !c.isVirtualProperty &&
      c.generatedType === undefined &&
      c.embeddedMetadata === undefined &&
      !(c.relationMetadata && c.propertyName === c.relationMetadata.propertyName),
  );
}

/** A deep copy of the writable columns' values, to compare against after hooks ran. */
export function snapshotColumns(entity: ObjectLiteral, columns: ColumnMetadata[]): Map<string, unknown> {
  return new Map(columns.map((c) => [c.propertyName, structuredClone(entity[c.propertyName] as unknown)]));
}

/** Copies the DTO's defined values of writable columns onto the entity. */
export function applyDto(entity: ObjectLiteral, dto: object, columns: ColumnMetadata[]): void {
  const names = new Set(columns.map((c) => c.propertyName));
  for (const [key, value] of Object.entries(dto)) {
    if (value !== undefined && names.has(key)) (entity as Record<string, unknown>)[key] = value;
  }
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null)
    return JSON.stringify(a) === JSON.stringify(b);
  return false;
}

/** The columns whose value differs from the snapshot, as `{ property: value }`; `undefined` when none did. */
export function changedColumns(
  before: Map<string, unknown>,
  entity: ObjectLiteral,
  columns: ColumnMetadata[],
): Record<string, unknown> | undefined {
  const changes: Record<string, unknown> = {};
  for (const c of columns) {
    const value = entity[c.propertyName] as unknown;
    if (!same(before.get(c.propertyName), value)) changes[c.propertyName] = value;
  }
  return Object.keys(changes).length ? changes : undefined;
}
