/** One key as the keyset planner sees it: its SQL expression, direction and nullability. */
export interface KeysetKey {
  readonly sql: string;
  readonly descending: boolean;
  readonly nullable: boolean;
}

/** A WHERE fragment with its own named parameters. */
export interface SqlFragment {
  readonly sql: string;
  readonly params: Record<string, unknown>;
}

/**
 * How to fetch the rows after (or, with `reverse`, before) a cursor, as one or two segments run in
 * order until the page is full. Nulls sort last in the forward order.
 *
 * Uniform directions over non-null values become one row comparison `(a, b, id) < (:a, :b, :id)`,
 * which PostgreSQL answers from a matching index however deep the page. A nullable *leading* key
 * is split in two segments (its non-null rows by row comparison, then its null rows) so the deep
 * page stays an index range scan. Anything else (mixed directions, several nullable keys) gets
 * the general, always-correct expansion `k1 > c1 OR (k1 = c1 AND k2 > c2) ...`.
 */
export function keysetSegments(
  keys: readonly KeysetKey[],
  values: readonly unknown[],
  reverse: boolean,
  prefix: string,
): SqlFragment[] {
  const dirs = keys.map((k) => k.descending !== reverse);
  const uniform = dirs.every((d) => d === dirs[0]);
  const restNonNull = keys.slice(1).every((k) => !k.nullable);
  const p = (i: number): string => `${prefix}${i}`;
  const params = Object.fromEntries(values.map((v, i) => [p(i), v]));
  const row = (from: number): SqlFragment => {
    const cmp = dirs[from] ? '<' : '>';
    const cols = keys.slice(from).map((k) => k.sql);
    const vals = keys.slice(from).map((_, i) => `:${p(from + i)}`);
    const sql =
      cols.length === 1 ? `${cols[0]} ${cmp} ${vals[0]}` : `(${cols.join(', ')}) ${cmp} (${vals.join(', ')})`;
    return { sql, params: pick(params, keys.length, from) };
  };

  if (uniform && restNonNull) {
    const lead = keys[0]!;
    if (!lead.nullable) return [row(0)];
    const isNull = `${lead.sql} IS NULL`;
    const notNull = `${lead.sql} IS NOT NULL`;
    const rest = keys.length > 1 ? row(1) : undefined;
    const nullTail = rest
      ? { sql: `${isNull} AND ${rest.sql}`, params: rest.params }
      : { sql: 'FALSE', params: {} };
    // Forward order: non-null rows, then nulls. Reverse: nulls first, then non-null rows.
    if (values[0] === null) return reverse ? [nullTail, { sql: notNull, params: {} }] : [nullTail];
    const nonNull = { sql: `${notNull} AND ${row(0).sql}`, params: row(0).params };
    return reverse ? [nonNull] : [nonNull, { sql: isNull, params: {} }];
  }
  return [general(keys, values, dirs, reverse, p, params)];
}

function pick(params: Record<string, unknown>, n: number, from: number): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).slice(from, n));
}

function general(
  keys: readonly KeysetKey[],
  values: readonly unknown[],
  dirs: readonly boolean[],
  reverse: boolean,
  p: (i: number) => string,
  params: Record<string, unknown>,
): SqlFragment {
  const alternatives: string[] = [];
  const equal: string[] = [];
  keys.forEach((key, i) => {
    const value = values[i];
    // "Strictly after" in this direction; nulls are last going forward, first going in reverse.
    let after: string;
    if (value === null) after = reverse ? `${key.sql} IS NOT NULL` : 'FALSE';
    else {
      const cmp = `${key.sql} ${dirs[i] ? '<' : '>'} :${p(i)}`;
      after = key.nullable && !reverse ? `(${cmp} OR ${key.sql} IS NULL)` : cmp;
    }
    if (after !== 'FALSE') alternatives.push([...equal, after].join(' AND '));
    equal.push(value === null ? `${key.sql} IS NULL` : `${key.sql} = :${p(i)}`);
  });
  return {
    sql: alternatives.length ? `(${alternatives.map((a) => `(${a})`).join(' OR ')})` : 'FALSE',
    params,
  };
}
