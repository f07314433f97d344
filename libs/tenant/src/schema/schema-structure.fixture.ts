import type { DataSource } from 'typeorm';

/**
 * Test fixture: everything about a schema's structure that a tenant would notice, from
 * information_schema and the catalogs, with the schema's own name replaced by `<schema>` so two
 * schemas can be compared. Read with only pg_catalog on the search_path, so every name outside it —
 * the schema's own objects and `public.tenants` alike — is printed qualified.
 */
export async function schemaStructure(dataSource: DataSource, schema: string): Promise<unknown> {
  const queries = {
    tables: `SELECT c.relname, c.relpersistence, c.relrowsecurity, obj_description(c.oid, 'pg_class') AS comment
               FROM pg_class c WHERE c.relnamespace = to_regnamespace($1::text) AND c.relkind = 'r' ORDER BY 1`,
    columns: `SELECT table_name, column_name, ordinal_position, column_default, is_nullable, data_type, udt_schema,
                     udt_name, is_generated, generation_expression, is_identity, identity_generation, identity_start,
                     identity_increment, identity_maximum, character_maximum_length, numeric_precision, collation_name,
                     col_description(format('%I.%I', table_schema, table_name)::regclass, ordinal_position) AS comment
                FROM information_schema.columns WHERE table_schema = $1::text ORDER BY table_name, ordinal_position`,
    constraints: `SELECT tc.table_name, tc.constraint_name, tc.constraint_type, tc.is_deferrable, tc.initially_deferred,
                         pg_get_constraintdef(con.oid) AS def, con.convalidated
                    FROM information_schema.table_constraints tc
                    JOIN pg_constraint con ON con.conname = tc.constraint_name AND con.connamespace = to_regnamespace($1::text)
                   WHERE tc.table_schema = $1::text ORDER BY 1, 2`,
    references: `SELECT rc.constraint_name, rc.unique_constraint_schema, rc.unique_constraint_name, rc.update_rule, rc.delete_rule
                   FROM information_schema.referential_constraints rc WHERE rc.constraint_schema = $1::text ORDER BY 1`,
    keyColumns: `SELECT table_name, constraint_name, column_name, ordinal_position, position_in_unique_constraint
                   FROM information_schema.key_column_usage WHERE table_schema = $1::text ORDER BY 1, 2, 4`,
    checks: `SELECT cc.constraint_name, cc.check_clause FROM information_schema.check_constraints cc
              WHERE cc.constraint_schema = $1::text AND cc.constraint_name NOT LIKE '%_not_null' ORDER BY 1`,
    indexes: `SELECT tablename, indexname, indexdef, obj_description(format('%I.%I', schemaname, indexname)::regclass, 'pg_class') AS comment
                FROM pg_indexes WHERE schemaname = $1::text ORDER BY 1, 2`,
    sequences: `SELECT s.sequencename, s.data_type, s.start_value, s.min_value, s.max_value, s.increment_by, s.cycle,
                       s.cache_size, d.refobjid::regclass::text AS owned_by_table, a.attname AS owned_by_column, d.deptype
                  FROM pg_sequences s
                  JOIN pg_class c ON c.relname = s.sequencename AND c.relnamespace = to_regnamespace($1::text)
                  LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass
                  LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                 WHERE s.schemaname = $1::text ORDER BY 1`,
    enums: `SELECT t.typname, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
              FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid WHERE t.typnamespace = to_regnamespace($1::text)
             GROUP BY t.typname ORDER BY 1`,
  };
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    await runner.startTransaction();
    await runner.query("SET LOCAL search_path TO ''");
    const out: Record<string, unknown> = {};
    for (const [key, sql] of Object.entries(queries)) out[key] = await runner.query(sql, [schema]);
    await runner.commitTransaction();
    return JSON.parse(JSON.stringify(out).replaceAll(schema, '<schema>')) as unknown;
  } finally {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    await runner.release();
  }
}
