import type { ApiQueryOptions } from '@nestjs/swagger';
import type { ResolvedField, ResolvedShape } from './resolved-shape.js';
import type { FilterOperator } from './shape.types.js';

type Schema = Extract<ApiQueryOptions, { schema: unknown }>['schema'] & { type?: string };

const OP_HELP: Record<FilterOperator, string> = {
  eq: 'equals',
  ne: 'differs from (nulls included)',
  gt: 'greater than',
  gte: 'greater than or equal',
  lt: 'less than',
  lte: 'less than or equal',
  in: 'one of a comma list',
  nin: 'none of a comma list (nulls included)',
  contains: 'contains the text',
  icontains: 'contains the text, ignoring case',
  startsWith: 'starts with the text',
  isNull: 'is (true) or is not (false) null',
  between: 'between two values, inclusive: low,high',
};

function valueSchema(field: ResolvedField): Schema {
  switch (field.kind) {
    case 'uuid':
      return { type: 'string', format: 'uuid' };
    case 'integer':
      return { type: 'integer' };
    case 'bigint':
    case 'number':
      return { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'timestamp':
      return { type: 'string', format: 'date-time' };
    case 'date':
      return { type: 'string', format: 'date' };
    case 'enum':
      return { type: 'string', enum: [...(field.enumValues ?? [])] };
    default:
      return { type: 'string' };
  }
}

function opSchema(field: ResolvedField, op: FilterOperator): Schema {
  if (op === 'isNull') return { type: 'boolean' };
  if (op === 'in' || op === 'nin' || op === 'between' || (field.isArray && op === 'contains'))
    return { type: 'string', description: 'comma-separated' };
  return valueSchema(field);
}

/**
 * The OpenAPI query parameters of a shaped list, derived from the same resolved shape the parser
 * uses: one parameter per allowed filter and operator, and sort, fields, limit, cursors, count,
 * page, q and format with the allowed values in their descriptions.
 */
export function shapeQueryParameters(shape: ResolvedShape): ApiQueryOptions[] {
  const params: ApiQueryOptions[] = [];
  for (const [path, { field, ops }] of shape.filters) {
    for (const op of ops) {
      params.push({
        name: op === 'eq' ? `filter[${path}]` : `filter[${path}][${op}]`,
        required: false,
        description: `${path} ${OP_HELP[op]}${field.isArray && op === 'eq' ? ' (has this element)' : ''}`,
        schema: opSchema(field, op),
      });
    }
  }
  const sortable = [...shape.sortable.keys()];
  if (sortable.length > 0)
    params.push({
      name: 'sort',
      required: false,
      description: `Comma list of ${sortable.join(', ')}; prefix - for descending. Default: ${shape.defaultSort.map((k) => `${k.descending ? '-' : ''}${k.field.path}`).join(',') || shape.primary.path}. Nulls sort last.`,
      schema: {
        type: 'string',
        pattern: `^-?(${sortable.join('|').replace(/\./g, '\\.')})(,-?(${sortable.join('|').replace(/\./g, '\\.')}))*$`,
      },
    });
  params.push(
    {
      name: 'fields',
      required: false,
      description: `Comma list of ${[...shape.fields.keys()].join(', ')}. Default: ${shape.defaultFields.join(',')}`,
      schema: { type: 'string' },
    },
    {
      name: 'limit',
      required: false,
      description: `Rows per page (default ${shape.limit.default})`,
      schema: { type: 'integer', minimum: 1, maximum: shape.limit.max, default: shape.limit.default },
    },
    {
      name: 'after',
      required: false,
      description: 'Opaque cursor: the page after it (meta.nextCursor)',
      schema: { type: 'string' },
    },
    {
      name: 'before',
      required: false,
      description: 'Opaque cursor: the page before it (meta.prevCursor)',
      schema: { type: 'string' },
    },
    {
      name: 'count',
      required: false,
      description: 'Also count every matching row (meta.total, X-Total-Count)',
      schema: { type: 'boolean' },
    },
  );
  if (shape.offset)
    params.push({
      name: 'page',
      required: false,
      description: 'Offset mode: 1-based page number',
      schema: { type: 'integer', minimum: 1 },
    });
  if (shape.search)
    params.push({
      name: 'q',
      required: false,
      description: `Full-text search over ${shape.search.fields.map((f) => f.field.path).join(', ')} (web search syntax: words, "phrases", -excluded, or); without sort, the most relevant rows come first`,
      schema: { type: 'string', maxLength: 200 },
    });
  params.push({
    name: 'format',
    required: false,
    description: 'csv streams every matching row as CSV (also chosen by Accept: text/csv)',
    schema: { type: 'string', enum: ['json', 'csv'], default: 'json' },
  });
  return params;
}
