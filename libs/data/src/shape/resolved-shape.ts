import type { FilterOperator } from './shape.types.js';

/** How a column's values are parsed from the query string and bound into SQL. */
export type ValueKind =
  'uuid' | 'integer' | 'bigint' | 'number' | 'boolean' | 'timestamp' | 'date' | 'text' | 'enum' | 'other';

/** One column reachable from the shape: on the entity (`title`) or a to-one relation (`author.email`). */
export interface ResolvedField {
  readonly path: string;
  /** The to-one relation's property, or null for the entity's own column. */
  readonly relation: string | null;
  /** The column's database name. */
  readonly column: string;
  readonly kind: ValueKind;
  readonly isArray: boolean;
  readonly nullable: boolean;
  readonly enumValues?: readonly string[];
  /** For `number` columns stored as `real` (float4) or `double precision`: values outside its range are refused. */
  readonly float?: 'real' | 'double';
  /** For `timestamp` columns: `timestamptz` (an instant), so PostgreSQL can write its ISO 8601 UTC text. */
  readonly timeZone?: boolean;
  /**
   * The column's TypeORM `transformer` (`from`), applied to listed values as TypeORM applies it to
   * entities — a `numeric` column read as a number lists as one, as its item reads.
   */
  readonly read?: (raw: unknown) => unknown;
}

/** A sort key: a field and its direction. Nulls always sort last. */
export interface SortKey {
  readonly field: ResolvedField;
  readonly descending: boolean;
}

/** A shape checked against the entity's metadata; built once at boot. */
export interface ResolvedShape {
  readonly name: string;
  readonly entity: abstract new (...args: never[]) => unknown;
  readonly primary: ResolvedField;
  /** Selectable fields, in declaration order. */
  readonly fields: ReadonlyMap<string, ResolvedField>;
  readonly defaultFields: readonly string[];
  readonly filters: ReadonlyMap<string, { field: ResolvedField; ops: ReadonlySet<FilterOperator> }>;
  readonly sortable: ReadonlyMap<string, ResolvedField>;
  /** The default sort, without the primary-key tie-breaker. */
  readonly defaultSort: readonly SortKey[];
  readonly search?: {
    readonly fields: readonly { field: ResolvedField; weight: 'A' | 'B' | 'C' | 'D' }[];
    readonly vectorColumn?: string;
    readonly config: string;
  };
  readonly limit: { readonly default: number; readonly max: number };
  readonly offset: boolean;
  readonly maxListValues: number;
}

/** The synthetic sort key of a full-text search without an explicit `sort`: relevance, best first. */
export const RANK_FIELD: ResolvedField = Object.freeze({
  path: '_rank',
  relation: null,
  column: '_rank',
  kind: 'number',
  isArray: false,
  nullable: false,
});
