import { SchematicsException } from '@angular-devkit/schematics';

/** The field types `kwik-resource` knows, as written on the command line. */
export const FIELD_TYPES = [
  'string',
  'text',
  'int',
  'decimal',
  'number',
  'boolean',
  'date',
  'datetime',
  'uuid',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Other spellings accepted for a type. */
const TYPE_ALIASES: Record<string, FieldType> = {
  integer: 'int',
  float: 'number',
  double: 'number',
  bool: 'boolean',
  timestamp: 'datetime',
  timestamptz: 'datetime',
  numeric: 'decimal',
  varchar: 'string',
};

/** Modifiers after the type: `stock:int:index`, `sku:string:unique`, `notes:text:optional`. */
export const FIELD_MODIFIERS = ['optional', 'index', 'unique'] as const;
export type FieldModifier = (typeof FIELD_MODIFIERS)[number];

/** Columns every Kwik entity has already (`KwikBaseEntity`) or that tenancy adds. */
const RESERVED = new Set(['id', 'createdAt', 'updatedAt', 'version', 'tenantId', 'tenant']);

/** One field of a resource, parsed from `name:type[:modifier...]`. */
export interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  readonly optional: boolean;
  readonly index: boolean;
  readonly unique: boolean;
}

/** The field used when none is given. */
export const DEFAULT_FIELDS = 'name:string';

/**
 * Parses `name:string price:decimal stock:int:index` (space- or comma-separated, or a list of
 * such strings) into field specs; a malformed field is a `SchematicsException` naming it and what
 * is allowed.
 */
export function parseFields(input: string | readonly string[] | undefined): FieldSpec[] {
  const tokens = (typeof input === 'string' ? [input] : (input ?? []))
    .flatMap((part) => part.split(/[\s,]+/))
    .filter((token) => token.length > 0);
  const fields = (tokens.length > 0 ? tokens : [DEFAULT_FIELDS]).map(parseField);
  const seen = new Set<string>();
  for (const field of fields) {
    if (seen.has(field.name)) throw new SchematicsException(`Field "${field.name}" is given twice.`);
    seen.add(field.name);
  }
  return fields;
}

function parseField(token: string): FieldSpec {
  const [name = '', rawType, ...modifiers] = token.split(':');
  if (!/^[a-z][a-zA-Z0-9]{0,62}$/.test(name))
    throw new SchematicsException(
      `Field "${token}": the name must be camelCase letters and digits, starting with a lower-case letter (e.g. "unitPrice:decimal").`,
    );
  if (RESERVED.has(name))
    throw new SchematicsException(
      `Field "${name}" is reserved: every Kwik entity has id, createdAt, updatedAt and version, and --tenant-scoped adds tenantId.`,
    );
  if (rawType === undefined || rawType === '')
    throw new SchematicsException(
      `Field "${token}" has no type: write ${name}:<type>, one of ${FIELD_TYPES.join(', ')}.`,
    );
  const type = (FIELD_TYPES as readonly string[]).includes(rawType)
    ? (rawType as FieldType)
    : TYPE_ALIASES[rawType];
  if (type === undefined)
    throw new SchematicsException(
      `Field "${token}": unknown type "${rawType}"; use one of ${FIELD_TYPES.join(', ')}.`,
    );
  for (const modifier of modifiers)
    if (!(FIELD_MODIFIERS as readonly string[]).includes(modifier))
      throw new SchematicsException(
        `Field "${token}": unknown modifier "${modifier}"; use ${FIELD_MODIFIERS.join(', ')}.`,
      );
  const has = (m: FieldModifier): boolean => modifiers.includes(m);
  if (has('unique') && has('optional'))
    throw new SchematicsException(`Field "${token}": a unique field cannot be optional.`);
  return {
    name,
    type,
    optional: has('optional'),
    index: has('index') && !has('unique'),
    unique: has('unique'),
  };
}

/** Whether a token looks like a field (`name:type`) rather than a path. */
export function looksLikeFields(value: string | undefined): value is string {
  return value !== undefined && /(^|[\s,])[a-z][a-zA-Z0-9]*:/.test(value);
}

/** How each type becomes TypeScript, a column, validators, OpenAPI and a shape declaration. */
export interface TypeTraits {
  /** The entity property's TypeScript type. */
  readonly ts: string;
  /** The DTO property's TypeScript type (what JSON carries). */
  readonly dtoTs: string;
  /** `@Column({...})` options, without `nullable`. */
  readonly column: string;
  /** The column's SQL type in the migration. */
  readonly sql: string;
  /** class-validator decorators (names imported from class-validator, and their calls). */
  readonly validators: readonly string[];
  /** `@ApiProperty` options. */
  readonly api: string;
  /** The shape's filter preset, or null when the field is not filterable. */
  readonly filter: 'equality' | 'comparable' | 'text' | null;
  /** Whether clients may sort by it. */
  readonly sortable: boolean;
  /** A factory expression for the value of row number `sequence` (`faker` in scope). */
  readonly sample: (field: FieldSpec, label: string) => string;
  /** A valid JSON value for a request body, as source text (distinct per `n`). */
  readonly example: (field: FieldSpec, n: number) => string;
  /** A JSON value of the wrong type, as source text. */
  readonly wrong: string;
}

export const TYPE_TRAITS: Record<FieldType, TypeTraits> = {
  string: {
    ts: 'string',
    dtoTs: 'string',
    column: "type: 'varchar', length: 255",
    sql: 'character varying(255)',
    validators: ['IsString()', 'MinLength(1)', 'MaxLength(255)'],
    api: "type: 'string', maxLength: 255",
    filter: 'text',
    sortable: true,
    sample: (f, label) => (f.unique ? `\`${label} \${sequence}\`` : `faker.commerce.productName()`),
    example: (f, n) => JSON.stringify(`${f.name} ${n}`),
    wrong: '42',
  },
  text: {
    ts: 'string',
    dtoTs: 'string',
    column: "type: 'text'",
    sql: 'text',
    validators: ['IsString()', 'MaxLength(100_000)'],
    api: "type: 'string', maxLength: 100_000",
    filter: 'text',
    sortable: false,
    sample: (f, label) => (f.unique ? `\`${label} \${sequence}\`` : 'faker.lorem.sentence()'),
    example: (f, n) => JSON.stringify(`${f.name} text ${n}`),
    wrong: '42',
  },
  int: {
    ts: 'number',
    dtoTs: 'number',
    column: "type: 'integer'",
    sql: 'integer',
    validators: ['IsInt()', 'Min(-2_147_483_648)', 'Max(2_147_483_647)'],
    api: "type: 'integer'",
    filter: 'comparable',
    sortable: true,
    sample: (f) => (f.unique ? 'sequence' : 'faker.number.int({ min: 0, max: 1000 })'),
    example: (_f, n) => String(n * 10),
    wrong: '"many"',
  },
  decimal: {
    ts: 'number',
    dtoTs: 'number',
    column: "type: 'numeric', precision: 12, scale: 2, transformer: DECIMAL",
    sql: 'numeric(12,2)',
    validators: [
      'IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false })',
      'Min(-9_999_999_999.99)',
      'Max(9_999_999_999.99)',
    ],
    api: "type: 'number', multipleOf: 0.01",
    filter: 'comparable',
    sortable: true,
    sample: (f) => (f.unique ? 'sequence + 0.5' : 'Number(faker.commerce.price({ min: 1, max: 500 }))'),
    example: (_f, n) => `${n * 10}.5`,
    wrong: '"cheap"',
  },
  number: {
    ts: 'number',
    dtoTs: 'number',
    column: "type: 'double precision'",
    sql: 'double precision',
    validators: ['IsNumber({ allowNaN: false, allowInfinity: false })'],
    api: "type: 'number'",
    filter: 'comparable',
    sortable: true,
    sample: (f) =>
      f.unique ? 'sequence + 0.25' : 'faker.number.float({ min: 0, max: 1000, fractionDigits: 3 })',
    example: (_f, n) => `${n}.25`,
    wrong: '"some"',
  },
  boolean: {
    ts: 'boolean',
    dtoTs: 'boolean',
    column: "type: 'boolean'",
    sql: 'boolean',
    validators: ['IsBoolean()'],
    api: "type: 'boolean'",
    filter: 'equality',
    sortable: true,
    sample: () => 'faker.datatype.boolean()',
    example: (_f, n) => String(n % 2 === 1),
    wrong: '"yes"',
  },
  date: {
    ts: 'string',
    dtoTs: 'string',
    column: "type: 'date'",
    sql: 'date',
    validators: [
      "Matches(/^\\d{4}-\\d{2}-\\d{2}$/, { message: '$property must be a date, YYYY-MM-DD' })",
      'IsISO8601({ strict: true })',
    ],
    api: "type: 'string', format: 'date', example: '2026-01-31'",
    filter: 'comparable',
    sortable: true,
    sample: () => 'faker.date.past().toISOString().slice(0, 10)',
    example: (_f, n) => JSON.stringify(`2026-01-${String(10 + n).padStart(2, '0')}`),
    wrong: '"yesterday"',
  },
  datetime: {
    ts: 'Date',
    dtoTs: 'string',
    column: "type: 'timestamptz'",
    sql: 'TIMESTAMP WITH TIME ZONE',
    validators: ['IsISO8601({ strict: true })'],
    api: "type: 'string', format: 'date-time'",
    filter: 'comparable',
    sortable: true,
    sample: () => 'faker.date.past()',
    example: (_f, n) => JSON.stringify(`2026-01-${String(10 + n).padStart(2, '0')}T12:00:00.000Z`),
    wrong: '"soon"',
  },
  uuid: {
    ts: 'string',
    dtoTs: 'string',
    column: "type: 'uuid'",
    sql: 'uuid',
    validators: ["IsUUID('all')"],
    api: "type: 'string', format: 'uuid'",
    filter: 'equality',
    sortable: false,
    sample: () => 'faker.string.uuid()',
    example: (_f, n) => JSON.stringify(`00000000-0000-4000-8000-${String(n).padStart(12, '0')}`),
    wrong: '"not-a-uuid"',
  },
};
