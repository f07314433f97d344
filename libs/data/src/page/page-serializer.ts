import fastJson from 'fast-json-stringify';
import type { ResolvedField } from '../shape/resolved-shape.js';
import type { ShapedPage } from './shaped-list.js';

type Schema = Record<string, unknown>;

/** The JSON schema of one field's values as the driver returns them; `{}` leaves a value to JSON.stringify. */
function valueSchema(field: ResolvedField): Schema {
  const nullable = (type: string, extra: Schema = {}): Schema => ({ type: [type, 'null'], ...extra });
  // A transformer decides the value's type: written exactly as JSON.stringify writes it.
  if (field.read) return {};
  if (field.isArray)
    return field.kind === 'text' || field.kind === 'uuid' || field.kind === 'enum'
      ? nullable('array', { items: { type: 'string' } })
      : {};
  switch (field.kind) {
    case 'uuid': // PostgreSQL writes a uuid in hex and dashes: nothing to escape
      return nullable('string', { format: 'unsafe' });
    case 'text':
    case 'enum':
    case 'bigint': // pg returns int8 as a string
      return nullable('string');
    case 'integer':
      return nullable('integer');
    case 'boolean':
      return nullable('boolean');
    case 'timestamp':
      // timestamptz: ISO text PostgreSQL wrote (digits and -T:.Z, nothing to escape); timestamp: a
      // Date, written with toISOString.
      return field.timeZone
        ? nullable('string', { format: 'unsafe' })
        : nullable('string', { format: 'date-time' });
    default: // numeric (a string) vs real (a number), dates, JSON: exactly as JSON.stringify writes them
      return {};
  }
}

/**
 * A serializer for pages of one field selection, compiled by fast-json-stringify from the shape's
 * column types: the same bytes as `JSON.stringify(page)` in about a third of the time. Values only
 * PostgreSQL or Kwik write — uuids, timestamptz text, cursors — skip the escaping scan
 * (fast-json-stringify's `unsafe` format): it is only ever given pages `ShapedList.page()` built
 * from the database's rows.
 */
export function compilePageSerializer(fields: readonly ResolvedField[]): (page: ShapedPage) => string {
  const row: Record<string, Schema> = {};
  for (const field of fields) {
    if (field.relation === null) {
      row[field.path] = valueSchema(field);
      continue;
    }
    const nested = (row[field.relation] ??= { type: ['object', 'null'], properties: {} }) as {
      properties: Record<string, Schema>;
    };
    nested.properties[field.path.slice(field.relation.length + 1)] = valueSchema(field);
  }
  const schema = {
    type: 'object',
    properties: {
      data: { type: 'array', items: { type: 'object', properties: row } },
      meta: {
        type: 'object',
        properties: {
          limit: { type: 'integer' },
          // Kwik's own cursors: base64url and a dot.
          nextCursor: { type: ['string', 'null'], format: 'unsafe' },
          prevCursor: { type: ['string', 'null'], format: 'unsafe' },
          total: { type: 'integer' },
          page: { type: 'integer' },
        },
      },
    },
  };
  return fastJson(schema as Parameters<typeof fastJson>[0]) as (page: ShapedPage) => string;
}
