import { ProblemException, type ProblemFieldError } from '@kwik/core';
import { RANK_FIELD, type ResolvedField, type ResolvedShape, type SortKey } from '../shape/resolved-shape.js';
import type { FilterOperator } from '../shape/shape.types.js';
import { CursorCodec, CursorRejected } from './cursor.codec.js';
import { parseValue } from './parse-value.js';
import { cursorScope, type FilterClause, type ShapedQuery } from './shaped-query.js';

const FILTER_KEY = /^filter\[([^[\]]+)\](?:\[([^[\]]+)\])?$/;
const LIST_OPS = new Set<FilterOperator>(['in', 'nin', 'between']);
const MAX_PARAMS = 64;
const MAX_SEARCH = 200;
const PAGE_PATTERN = /^[1-9]\d{0,6}$/;

type RawQuery = Readonly<Record<string, unknown>>;

const KNOWN_PARAMS = new Set(['sort', 'fields', 'limit', 'after', 'before', 'count', 'page', 'q', 'format']);

/** Most distinct `sort` / `fields` values remembered per shape (a list sees a handful). */
const MEMO_LIMIT = 256;

/**
 * Valid `sort` and `fields` values of a shape already parsed, by their raw text: the same few
 * values come back on every request of a list, and their parsed form is immutable.
 */
interface ParseMemo {
  readonly keys: Map<string | undefined, readonly SortKey[]>;
  readonly fields: Map<string | undefined, readonly ResolvedField[]>;
  /** The keys of a search without a sort: relevance first. */
  rankKeys?: readonly SortKey[];
}
const memos = new WeakMap<ResolvedShape, ParseMemo>();

function memoOf(shape: ResolvedShape): ParseMemo {
  let memo = memos.get(shape);
  if (memo === undefined) memos.set(shape, (memo = { keys: new Map(), fields: new Map() }));
  return memo;
}

/** `get` of `memo`, else `parse()` — remembered when it added no problem. */
function memoized<T>(
  memo: Map<string | undefined, T>,
  raw: string | undefined,
  problems: Problems,
  parse: () => T,
): T {
  const hit = memo.get(raw);
  if (hit !== undefined) return hit;
  const before = problems.list.length;
  const value = parse();
  if (problems.list.length === before && memo.size < MEMO_LIMIT) memo.set(raw, value);
  return value;
}

/** Collects the problems of one query; every parameter is checked before the 400 is thrown. */
class Problems {
  readonly list: ProblemFieldError[] = [];
  add(field: string, message: string): void {
    this.list.push({ field, message });
  }
}

const listOf = (values: Iterable<string>): string => [...values].join(', ') || 'none';

function single(raw: RawQuery, problems: Problems): Map<string, string> {
  const params = new Map<string, string>();
  const keys = Object.keys(raw);
  if (keys.length > MAX_PARAMS) {
    problems.add('query', `has ${keys.length} parameters; at most ${MAX_PARAMS} are accepted`);
    return params;
  }
  for (const key of keys) {
    const value = raw[key];
    if (typeof value === 'string') params.set(key, value);
    else if (Array.isArray(value)) problems.add(key, 'is given more than once; give it once');
    else problems.add(key, 'must be a single value');
  }
  return params;
}

function parseFilter(
  shape: ResolvedShape,
  key: string,
  raw: string,
  seen: Set<string>,
  problems: Problems,
): FilterClause | undefined {
  const m = FILTER_KEY.exec(key);
  if (!m) {
    problems.add(
      key,
      'is malformed: use filter[field]=value or filter[field][op]=value (one level of brackets)',
    );
    return undefined;
  }
  const [, path, op = 'eq'] = m as unknown as [string, string, FilterOperator | undefined];
  const declared = shape.filters.get(path);
  if (!declared) {
    problems.add(key, `"${path}" is not filterable; filterable fields: ${listOf(shape.filters.keys())}`);
    return undefined;
  }
  if (!declared.ops.has(op as FilterOperator)) {
    problems.add(key, `operator "${op}" is not allowed on ${path}; allowed: ${listOf(declared.ops)}`);
    return undefined;
  }
  if (seen.has(`${path}\u0000${op}`)) {
    problems.add(key, `repeats the ${op} filter on ${path}`);
    return undefined;
  }
  seen.add(`${path}\u0000${op}`);
  return parseOperand(shape, declared.field, op as FilterOperator, key, raw, problems);
}

function parseOperand(
  shape: ResolvedShape,
  field: ResolvedField,
  op: FilterOperator,
  key: string,
  raw: string,
  problems: Problems,
): FilterClause | undefined {
  if (op === 'isNull') {
    if (raw !== 'true' && raw !== 'false') problems.add(key, 'must be true or false');
    return raw === 'true' || raw === 'false' ? { field, op, value: raw === 'true' } : undefined;
  }
  const isList = LIST_OPS.has(op) || (field.isArray && op === 'contains');
  const items = isList ? raw.split(',') : [raw];
  if (op === 'between' && items.length !== 2) {
    problems.add(key, 'must be two values separated by a comma: low,high');
    return undefined;
  }
  if (items.length > shape.maxListValues) {
    problems.add(key, `has ${items.length} values; at most ${shape.maxListValues} are accepted`);
    return undefined;
  }
  const values: unknown[] = [];
  for (const item of items) {
    if (item === '' && (isList || field.kind !== 'text')) {
      problems.add(key, isList ? 'has an empty value in its comma list' : 'must not be empty');
      return undefined;
    }
    const parsed = parseValue(item, field);
    if (!parsed.ok) {
      problems.add(key, `${parsed.message} (got "${item.length > 40 ? `${item.slice(0, 40)}…` : item}")`);
      return undefined;
    }
    values.push(parsed.value);
  }
  return { field, op, value: isList ? values : values[0] };
}

function parseSort(shape: ResolvedShape, raw: string | undefined, problems: Problems): SortKey[] {
  if (raw === undefined) return [...shape.defaultSort];
  const keys: SortKey[] = [];
  const allowed = () => `sortable fields: ${listOf(shape.sortable.keys())} (prefix - for descending)`;
  for (const token of raw.split(',')) {
    const descending = token.startsWith('-');
    const path = descending ? token.slice(1) : token;
    const field = shape.sortable.get(path);
    if (!field) {
      problems.add('sort', `"${token}" is not sortable; ${allowed()}`);
      return [];
    }
    if (keys.some((k) => k.field.path === path)) {
      problems.add('sort', `names ${path} twice`);
      return [];
    }
    keys.push({ field, descending });
  }
  return keys;
}

function parseFields(shape: ResolvedShape, raw: string | undefined, problems: Problems): ResolvedField[] {
  const paths = raw === undefined ? shape.defaultFields : raw.split(',');
  const fields: ResolvedField[] = [];
  for (const path of paths) {
    const field = shape.fields.get(path);
    if (!field) {
      problems.add(
        'fields',
        `"${path}" is not selectable; selectable fields: ${listOf(shape.fields.keys())}`,
      );
      return [];
    }
    if (!fields.includes(field)) fields.push(field);
  }
  return fields;
}

function parseLimit(shape: ResolvedShape, raw: string | undefined, problems: Problems): number {
  if (raw === undefined) return shape.limit.default;
  const n = /^\d{1,6}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= shape.limit.max)) {
    problems.add('limit', `must be a whole number from 1 to ${shape.limit.max} (got "${raw.slice(0, 20)}")`);
    return shape.limit.default;
  }
  return n;
}

/**
 * Parses and validates a list request's query parameters against a resolved shape. Every problem
 * of the request is reported at once in one 400 problem (`errors[]` names each parameter and
 * what is allowed); nothing of the raw input is ever placed into SQL text.
 */
export function parseShapedQuery(shape: ResolvedShape, raw: RawQuery, codec: CursorCodec): ShapedQuery {
  const problems = new Problems();
  const params = single(raw, problems);
  const filters: FilterClause[] = [];
  const seen = new Set<string>();
  const memo = memoOf(shape);
  for (const [key, value] of params) {
    if (key.startsWith('filter')) {
      const clause = parseFilter(shape, key, value, seen, problems);
      if (clause) filters.push(clause);
    } else if (!KNOWN_PARAMS.has(key)) {
      problems.add(
        key,
        `is not a parameter of this list; use filter[field], sort, fields, limit, after, before, count${shape.offset ? ', page' : ''}${shape.search ? ', q' : ''}, format`,
      );
    }
  }
  // A search without an explicit sort lists the most relevant rows first.
  const rawSort = params.get('sort');
  const keys =
    params.get('q') !== undefined && rawSort === undefined && shape.search
      ? (memo.rankKeys ??= withPrimary(shape, [{ field: RANK_FIELD, descending: true }]))
      : memoized(memo.keys, rawSort, problems, () => withPrimary(shape, parseSort(shape, rawSort, problems)));
  const rawFields = params.get('fields');
  const fields = memoized(memo.fields, rawFields, problems, () => parseFields(shape, rawFields, problems));
  const limit = parseLimit(shape, params.get('limit'), problems);

  const count = params.get('count');
  if (count !== undefined && count !== 'true' && count !== 'false')
    problems.add('count', 'must be true or false');
  const format = params.get('format') ?? 'json';
  if (format !== 'json' && format !== 'csv') problems.add('format', 'must be json or csv');

  let search: string | undefined;
  const q = params.get('q');
  if (q !== undefined) {
    if (!shape.search) problems.add('q', 'this list has no full-text search');
    else if (q.trim() === '' || q.length > MAX_SEARCH || q.includes('\u0000'))
      problems.add('q', `must be 1 to ${MAX_SEARCH} characters of search words`);
    else search = q;
  }

  let page: number | undefined;
  const pageRaw = params.get('page');
  if (pageRaw !== undefined) {
    if (!shape.offset)
      problems.add('page', 'this list pages with cursors only: use after / before from meta or Link');
    else if (!PAGE_PATTERN.test(pageRaw)) problems.add('page', 'must be a whole number from 1');
    else page = Number(pageRaw);
  }

  let cursor: ShapedQuery['cursor'];
  const after = params.get('after');
  const before = params.get('before');
  if (after !== undefined && before !== undefined) problems.add('before', 'cannot be combined with after');
  else if ((after ?? before) !== undefined && pageRaw !== undefined)
    problems.add(after !== undefined ? 'after' : 'before', 'cannot be combined with page');
  else if (after !== undefined || before !== undefined) {
    const direction = after !== undefined ? 'after' : 'before';
    try {
      cursor = {
        direction,
        values: codec.decode(shape.name, cursorScope(keys, search), (after ?? before)!, keys.length),
      };
    } catch (error) {
      if (!(error instanceof CursorRejected)) throw error;
      problems.add(
        direction,
        `${error.message}; use a cursor from meta.nextCursor / meta.prevCursor or the Link header`,
      );
    }
  }

  if (problems.list.length > 0) throw ProblemException.validation(problems.list, detailOf(problems.list));
  return {
    shape,
    filters,
    keys,
    fields,
    limit,
    ...(cursor ? { cursor } : {}),
    ...(page !== undefined ? { page } : {}),
    count: count === 'true',
    ...(search !== undefined ? { search } : {}),
    format: format as 'json' | 'csv',
    // No problem means every parameter was one string: the raw object is that record already.
    params: raw as Readonly<Record<string, string>>,
  };
}

/** The sort keys with the primary key appended as the last tie-breaker (a total order). */
function withPrimary(shape: ResolvedShape, sort: readonly SortKey[]): readonly SortKey[] {
  return sort.some((k) => k.field === shape.primary)
    ? sort
    : [...sort, { field: shape.primary, descending: sort.at(-1)?.descending ?? false }];
}

function detailOf(errors: ProblemFieldError[]): string {
  const first = errors[0]!;
  const more =
    errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : '';
  return `Query parameter ${first.field} ${first.message}${more}`;
}
