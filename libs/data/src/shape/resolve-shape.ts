import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import type { DataSource, EntityMetadata, ObjectLiteral, ValueTransformer } from 'typeorm';
import { DataError, DataErrorCode } from '../data.errors.js';
import type { ResolvedField, ResolvedShape, SortKey, ValueKind } from './resolved-shape.js';
import type { Shape } from './define-shape.js';
import { FILTER_OPERATORS, type FilterOperator, type FilterPreset } from './shape.types.js';

const KIND_BY_TYPE: Record<string, ValueKind> = {
  uuid: 'uuid',
  int: 'integer',
  integer: 'integer',
  int2: 'integer',
  int4: 'integer',
  smallint: 'integer',
  bigint: 'bigint',
  int8: 'bigint',
  numeric: 'number',
  decimal: 'number',
  real: 'number',
  float: 'number',
  float4: 'number',
  float8: 'number',
  'double precision': 'number',
  boolean: 'boolean',
  bool: 'boolean',
  timestamptz: 'timestamp',
  timestamp: 'timestamp',
  'timestamp with time zone': 'timestamp',
  'timestamp without time zone': 'timestamp',
  date: 'date',
  varchar: 'text',
  'character varying': 'text',
  text: 'text',
  char: 'text',
  character: 'text',
  citext: 'text',
  enum: 'enum',
  'simple-enum': 'enum',
};

/** A column's value as TypeORM reads it into an entity (a list of transformers applies last to first). */
function transformFrom(transformer: ValueTransformer | ValueTransformer[], raw: unknown): unknown {
  return Array.isArray(transformer)
    ? transformer.reduceRight<unknown>((value, t) => t.from(value), raw)
    : transformer.from(raw);
}

/** Floating-point column types, whose range is narrower than what `numeric` takes. */
const FLOAT_BY_TYPE: Record<string, 'real' | 'double'> = {
  real: 'real',
  float4: 'real',
  float: 'double',
  float8: 'double',
  'double precision': 'double',
};

const EQUALITY: FilterOperator[] = ['eq', 'ne', 'in', 'nin', 'isNull'];
const COMPARABLE: FilterOperator[] = [...EQUALITY, 'gt', 'gte', 'lt', 'lte', 'between'];
const TEXT: FilterOperator[] = [...EQUALITY, 'contains', 'icontains', 'startsWith'];
const ARRAY: FilterOperator[] = ['eq', 'contains', 'in', 'isNull'];

/** Operators a column can do, by its value kind. */
function supportedOps(field: ResolvedField): readonly FilterOperator[] {
  if (field.isArray) return ARRAY;
  switch (field.kind) {
    case 'text':
      return [...TEXT, 'gt', 'gte', 'lt', 'lte', 'between'];
    case 'integer':
    case 'bigint':
    case 'number':
    case 'timestamp':
    case 'date':
      return COMPARABLE;
    case 'uuid':
    case 'enum':
    case 'boolean':
      return EQUALITY;
    default:
      return [];
  }
}

function kindOf(column: ColumnMetadata): ValueKind {
  const { type } = column;
  if (typeof type === 'string') return KIND_BY_TYPE[type] ?? 'other';
  if (type === String) return 'text';
  // TypeORM's PostgreSQL driver stores a column typed only by a TypeScript `number` as `integer`.
  if (type === Number) return 'integer';
  if (type === Boolean) return 'boolean';
  if (type === Date) return 'timestamp';
  return 'other';
}

class ShapeResolution {
  private readonly problems: string[] = [];
  private readonly cache = new Map<string, ResolvedField | null>();

  constructor(
    private readonly metadata: EntityMetadata,
    private readonly label: string,
  ) {}

  problem(message: string): void {
    this.problems.push(message);
  }

  field(path: string, where: string): ResolvedField | undefined {
    if (!this.cache.has(path)) this.cache.set(path, this.lookup(path, where));
    return this.cache.get(path) ?? undefined;
  }

  throwIfAny(): void {
    if (this.problems.length === 0) return;
    throw new DataError(
      DataErrorCode.InvalidShape,
      `The shape of ${this.label} does not fit the entity:\n${this.problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }

  private lookup(path: string, where: string): ResolvedField | null {
    const parts = path.split('.');
    if (parts.length > 2 || parts.some((p) => p === '')) {
      this.problem(`${where}: "${path}" — paths are a column or relation.column (one level)`);
      return null;
    }
    let metadata = this.metadata;
    let relation: string | null = null;
    if (parts.length === 2) {
      const rel = metadata.findRelationWithPropertyPath(parts[0]!);
      if (!rel || !(rel.isManyToOne || rel.isOneToOneOwner)) {
        this.problem(
          `${where}: "${parts[0]}" is not a many-to-one or owning one-to-one relation of the entity`,
        );
        return null;
      }
      relation = parts[0]!;
      metadata = rel.inverseEntityMetadata;
    }
    const property = parts[parts.length - 1]!;
    const column = metadata.columns.find((c) => c.propertyPath === property);
    if (!column) {
      const known = metadata.columns.map((c) => c.propertyPath).join(', ');
      this.problem(`${where}: "${path}" is not a column of ${metadata.name} (columns: ${known})`);
      return null;
    }
    const kind = kindOf(column);
    return {
      path,
      relation,
      column: column.databaseName,
      kind,
      isArray: column.isArray,
      nullable: column.isNullable || relation !== null,
      ...(kind === 'enum' && column.enum ? { enumValues: column.enum.map(String) } : {}),
      ...(typeof column.type === 'string' && FLOAT_BY_TYPE[column.type]
        ? { float: FLOAT_BY_TYPE[column.type] }
        : {}),
      ...(column.type === 'timestamptz' || column.type === 'timestamp with time zone'
        ? { timeZone: true }
        : {}),
      ...(column.transformer ? { read: (raw: unknown) => transformFrom(column.transformer!, raw) } : {}),
    };
  }
}

function opsOf(
  spec: FilterPreset | readonly FilterOperator[],
  field: ResolvedField,
  r: ShapeResolution,
): Set<FilterOperator> {
  const supported = supportedOps(field);
  if (typeof spec === 'string') {
    const preset: Record<FilterPreset, readonly FilterOperator[]> = {
      equality: EQUALITY,
      comparable: COMPARABLE,
      text: TEXT,
      all: supported,
    };
    if (!(spec in preset)) r.problem(`filter.${field.path}: unknown preset "${spec}"`);
    return new Set((preset[spec] ?? []).filter((op) => supported.includes(op)));
  }
  for (const op of spec) {
    if (!FILTER_OPERATORS.includes(op)) r.problem(`filter.${field.path}: unknown operator "${op}"`);
    else if (!supported.includes(op))
      r.problem(
        `filter.${field.path}: operator "${op}" does not apply to a ${field.isArray ? `${field.kind}[]` : field.kind} column (it supports ${supported.join(', ') || 'none'})`,
      );
  }
  return new Set(spec);
}

/**
 * Checks a shape against its entity's TypeORM metadata and precomputes everything requests
 * need. Throws one `KWIK_DATA_INVALID_SHAPE` error listing every problem.
 */
export function resolveShape<T extends ObjectLiteral>(
  shape: Shape<T>,
  dataSource: DataSource,
): ResolvedShape {
  const d = shape.declaration;
  let metadata: EntityMetadata;
  try {
    metadata = dataSource.getMetadata(shape.entity as never);
  } catch (cause) {
    throw new DataError(
      DataErrorCode.InvalidShape,
      `The shape of ${shape.entity.name} names an entity the data source does not know: add ${shape.entity.name} to the entities of DatabaseModule.`,
      { cause },
    );
  }
  const r = new ShapeResolution(metadata, `${metadata.name} (${d.name ?? metadata.tableName})`);
  if (metadata.primaryColumns.length !== 1)
    r.problem(
      `the entity needs exactly one primary column for cursors (has ${metadata.primaryColumns.length})`,
    );
  const primary = r.field(metadata.primaryColumns[0]?.propertyPath ?? 'id', 'primary key');

  const fields = new Map<string, ResolvedField>();
  for (const path of d.fields) {
    const f = r.field(path, 'fields');
    if (f) fields.set(path, f);
  }
  const defaultFields = [...(d.defaultFields ?? d.fields)];
  for (const path of defaultFields)
    if (!d.fields.includes(path as never)) r.problem(`defaultFields: "${path}" is not one of fields`);

  const filters = new Map<string, { field: ResolvedField; ops: ReadonlySet<FilterOperator> }>();
  for (const [path, spec] of Object.entries(d.filter ?? {}) as [string, FilterPreset | FilterOperator[]][]) {
    const f = r.field(path, 'filter');
    if (f) filters.set(path, { field: f, ops: opsOf(spec, f, r) });
  }

  const sortable = new Map<string, ResolvedField>();
  for (const path of d.sort ?? []) {
    const f = r.field(path, 'sort');
    if (!f) continue;
    if (f.isArray || f.kind === 'other')
      r.problem(`sort: "${path}" (${f.kind}${f.isArray ? '[]' : ''}) cannot be sorted`);
    else sortable.set(path, f);
  }
  const defaultSort: SortKey[] = [];
  for (const token of (d.defaultSort ?? '').split(',').filter(Boolean)) {
    const descending = token.startsWith('-');
    const path = descending ? token.slice(1) : token;
    const f = sortable.get(path) ?? (path === primary?.path ? primary : undefined);
    if (f) defaultSort.push({ field: f, descending });
    else r.problem(`defaultSort: "${path}" is not one of sort`);
  }

  let search: ResolvedShape['search'];
  if (d.search) {
    const entries: [string, 'A' | 'B' | 'C' | 'D'][] = Array.isArray(d.search.fields)
      ? d.search.fields.map((p) => [p, 'B'])
      : (Object.entries(d.search.fields) as [string, 'A' | 'B' | 'C' | 'D'][]);
    const searchFields = entries.flatMap(([path, weight]) => {
      const f = r.field(path, 'search');
      if (f && (f.kind !== 'text' || f.relation !== null))
        r.problem(`search: "${path}" must be a text column of the entity itself`);
      if (!['A', 'B', 'C', 'D'].includes(weight))
        r.problem(`search: weight of "${path}" must be A, B, C or D`);
      return f ? [{ field: f, weight }] : [];
    });
    if (searchFields.length === 0) r.problem('search: declare at least one field');
    search = {
      fields: searchFields,
      config: d.search.config ?? 'simple',
      ...(d.search.vectorColumn ? { vectorColumn: d.search.vectorColumn } : {}),
    };
  }

  const limit = { default: d.limit?.default ?? 20, max: d.limit?.max ?? 100 };
  if (!Number.isInteger(limit.max) || limit.max < 1 || limit.max > 10_000)
    r.problem(`limit.max must be a whole number from 1 to 10000 (got ${limit.max})`);
  if (!Number.isInteger(limit.default) || limit.default < 1 || limit.default > limit.max)
    r.problem(`limit.default must be a whole number from 1 to limit.max (got ${limit.default})`);
  const maxListValues = d.maxListValues ?? 100;
  if (!Number.isInteger(maxListValues) || maxListValues < 1)
    r.problem(`maxListValues must be a whole number of at least 1 (got ${maxListValues})`);
  r.throwIfAny();

  return {
    name: d.name ?? metadata.tableName,
    entity: shape.entity,
    primary: primary!,
    fields,
    defaultFields,
    filters,
    sortable,
    defaultSort,
    ...(search ? { search } : {}),
    limit,
    offset: d.offset ?? false,
    maxListValues,
  };
}
