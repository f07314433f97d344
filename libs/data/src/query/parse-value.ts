import type { ResolvedField } from '../shape/resolved-shape.js';

/** Longest text value a filter accepts. */
export const MAX_TEXT_VALUE = 500;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INTEGER = /^-?\d{1,19}$/;
const NUMBER = /^-?\d{1,30}(\.\d{1,30})?([eE][-+]?\d{1,3})?$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const INT4 = [-2147483648n, 2147483647n] as const;
const INT8 = [-9223372036854775808n, 9223372036854775807n] as const;

/** A parsed value, or the message saying what the parameter must be. */
export type Parsed = { ok: true; value: unknown } | { ok: false; message: string };

const fail = (message: string): Parsed => ({ ok: false, message });

function inRange(raw: string, [min, max]: readonly [bigint, bigint]): boolean {
  const n = BigInt(raw);
  return n >= min && n <= max;
}

/**
 * Whether PostgreSQL can read a number into a `real` / `double precision` column's type: it refuses
 * a value that overflows to infinity or underflows to zero (`"1e39" is out of range for type real`).
 */
function fitsFloat(raw: string, float: 'real' | 'double'): boolean {
  const n = float === 'real' ? Math.fround(Number(raw)) : Number(raw);
  if (!Number.isFinite(n)) return false;
  return n !== 0 || !/[1-9]/.test(raw.split(/e/i)[0]!);
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function parseDateTime(raw: string, dateOnly: boolean): Parsed {
  const m = DATE_TIME.exec(raw);
  const expected = dateOnly
    ? 'an ISO 8601 date (2026-01-31)'
    : 'an ISO 8601 date or date-time (2026-01-31T12:00:00Z)';
  if (!m || (dateOnly && m[4] !== undefined)) return fail(`must be ${expected}`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month))
    return fail(`must be ${expected}; ${raw.slice(0, 10)} is not a calendar date`);
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59))
    return fail(`must be ${expected}; the time is out of range`);
  // Passed to PostgreSQL as written (after these checks it always parses); no precision lost.
  return { ok: true, value: raw };
}

/**
 * Parses one query-string value for a column (the element type for array columns): every value
 * that reaches SQL is of the column's type, so PostgreSQL never rejects a bound parameter.
 */
export function parseValue(raw: string, field: ResolvedField): Parsed {
  if (raw.includes('\u0000')) return fail('must not contain NUL characters');
  switch (field.kind) {
    case 'uuid':
      return UUID.test(raw) ? { ok: true, value: raw.toLowerCase() } : fail('must be a UUID');
    case 'integer':
      return INTEGER.test(raw) && inRange(raw, INT4)
        ? { ok: true, value: Number(raw) }
        : fail('must be an integer between -2147483648 and 2147483647');
    case 'bigint':
      return INTEGER.test(raw) && inRange(raw, INT8)
        ? { ok: true, value: raw }
        : fail('must be a 64-bit integer');
    case 'number':
      if (!NUMBER.test(raw) || !Number.isFinite(Number(raw))) return fail('must be a number');
      return !field.float || fitsFloat(raw, field.float)
        ? { ok: true, value: raw }
        : fail(
            `is out of range for a ${field.float === 'real' ? 'real (float4)' : 'double precision'} column`,
          );
    case 'boolean':
      return raw === 'true' || raw === 'false'
        ? { ok: true, value: raw === 'true' }
        : fail('must be true or false');
    case 'timestamp':
      return parseDateTime(raw, false);
    case 'date':
      return parseDateTime(raw, true);
    case 'enum':
      return field.enumValues?.includes(raw)
        ? { ok: true, value: raw }
        : fail(`must be one of ${field.enumValues?.join(', ')}`);
    case 'text':
      return raw.length <= MAX_TEXT_VALUE
        ? { ok: true, value: raw }
        : fail(`must be at most ${MAX_TEXT_VALUE} characters`);
    default:
      return fail('cannot be filtered');
  }
}
