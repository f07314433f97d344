import type { QueryRunner } from 'typeorm';

/** An enum type of the template, labels in their sort order. */
export interface CloneEnum {
  readonly name: string;
  readonly labels: readonly string[];
  readonly comment: string | null;
}

/** A column LIKE copies wrongly: typed with a template enum, or with a default that uses a template object. */
export interface CloneColumnFix {
  readonly table: string;
  readonly column: string;
  /** Template enum the column is typed with (or an array of). */
  readonly enumType: string | null;
  readonly enumArray: boolean;
  /** The default, deparsed with the template first on the search_path (template objects unqualified). */
  readonly defaultExpr: string | null;
}

/** A sequence owned by a template column (a `serial`): LIKE leaves the column's default on the template's. */
export interface CloneSequence {
  readonly name: string;
  readonly table: string;
  readonly column: string;
  readonly type: string;
  readonly start: string;
  readonly increment: string;
  readonly min: string;
  readonly max: string;
  readonly cache: string;
  readonly cycle: boolean;
}

/** A constraint of a template table, deparsed like the defaults. */
export interface CloneConstraint {
  readonly table: string;
  readonly name: string;
  /** `p`rimary key, `u`nique, e`x`clusion, `c`heck, `f`oreign key. */
  readonly type: 'p' | 'u' | 'x' | 'c' | 'f';
  readonly def: string;
  readonly comment: string | null;
  readonly indexComment: string | null;
  /** The referenced table when it is a template table (a foreign key between tenant tables). */
  readonly references: string | null;
}

/** An index not backing a constraint. */
export interface CloneIndex {
  readonly table: string;
  readonly name: string;
  readonly unique: boolean;
  /** `pg_get_indexdef()` — always schema-qualifies the table, whatever the search_path. */
  readonly def: string;
  readonly quotedName: string;
  readonly quotedTable: string;
  readonly comment: string | null;
}

/** A table of the template. */
export interface CloneTable {
  readonly name: string;
  readonly unlogged: boolean;
  readonly options: readonly string[] | null;
  readonly rowSecurity: boolean;
  readonly forceRowSecurity: boolean;
  readonly comment: string | null;
}

/** Everything the cloner re-creates, read in one snapshot with the template alone on the search_path. */
export interface ClonePlan {
  readonly enums: readonly CloneEnum[];
  readonly tables: readonly CloneTable[];
  readonly columnFixes: readonly CloneColumnFix[];
  readonly sequences: readonly CloneSequence[];
  readonly constraints: readonly CloneConstraint[];
  readonly indexes: readonly CloneIndex[];
}

// pg_class and pg_type have no index on the namespace alone: gather the template's oids once.
const TEMPLATE_OIDS = `WITH template_classes AS MATERIALIZED (
    SELECT COALESCE(array_agg(oid), '{}'::oid[]) AS oids FROM pg_class WHERE relnamespace = $1
  ), template_types AS MATERIALIZED (
    SELECT COALESCE(array_agg(oid), '{}'::oid[]) AS oids FROM pg_type WHERE typnamespace = $1
  )`;

const SQL = {
  enums: `SELECT t.typname::text AS name, obj_description(t.oid, 'pg_type') AS comment,
            COALESCE(array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FILTER (WHERE e.enumlabel IS NOT NULL), '{}') AS labels
          FROM pg_type t LEFT JOIN pg_enum e ON e.enumtypid = t.oid
         WHERE t.typnamespace = $1 AND t.typtype = 'e' GROUP BY t.oid, t.typname ORDER BY t.typname`,
  tables: `SELECT c.relname::text AS name, c.relpersistence = 'u' AS unlogged, c.reloptions AS options,
             c.relrowsecurity AS "rowSecurity", c.relforcerowsecurity AS "forceRowSecurity",
             obj_description(c.oid, 'pg_class') AS comment
           FROM pg_class c WHERE c.relnamespace = $1 AND c.relkind = 'r' ORDER BY c.relname`,
  // Columns typed with a template enum (or an array of one: typelem set, typlen -1), and defaults using a template object.
  columnFixes: `${TEMPLATE_OIDS}
    SELECT * FROM (
      SELECT c.relname::text AS table, a.attname::text AS column,
             CASE WHEN t.typtype = 'e' AND t.typnamespace = $1 THEN t.typname
                  WHEN et.typtype = 'e' AND et.typnamespace = $1 THEN et.typname END::text AS "enumType",
             COALESCE(et.typtype = 'e' AND et.typnamespace = $1, false) AS "enumArray",
             CASE WHEN EXISTS (
               SELECT 1 FROM pg_depend d
                WHERE d.classid = 'pg_attrdef'::regclass AND d.objid = ad.oid AND d.deptype = 'n'
                  AND ((d.refclassid = 'pg_class'::regclass AND d.refobjsubid = 0 AND d.refobjid = ANY (tc.oids))
                    OR (d.refclassid = 'pg_type'::regclass AND d.refobjid = ANY (tt.oids))))
             THEN pg_get_expr(ad.adbin, ad.adrelid) END AS "defaultExpr"
        FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid JOIN pg_type t ON t.oid = a.atttypid
        LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typlen = -1
        LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
        CROSS JOIN template_classes tc CROSS JOIN template_types tt
       WHERE c.relnamespace = $1 AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
    ) f WHERE "enumType" IS NOT NULL OR "defaultExpr" IS NOT NULL ORDER BY "table", "column"`,
  sequences: `SELECT s.relname::text AS name, c.relname::text AS table, a.attname::text AS column,
                format_type(q.seqtypid, NULL) AS type, q.seqstart::text AS start, q.seqincrement::text AS increment,
                q.seqmin::text AS min, q.seqmax::text AS max, q.seqcache::text AS cache, q.seqcycle AS cycle
              FROM pg_class s JOIN pg_sequence q ON q.seqrelid = s.oid
              JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.oid AND d.refclassid = 'pg_class'::regclass
                              AND d.refobjsubid > 0 AND d.deptype = 'a'
              JOIN pg_class c ON c.oid = d.refobjid JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.refobjsubid
             WHERE s.relnamespace = $1 AND s.relkind = 'S' AND c.relnamespace = $1 ORDER BY s.relname`,
  constraints: `SELECT c.relname::text AS table, con.conname::text AS name, con.contype AS type,
                  pg_get_constraintdef(con.oid) AS def, obj_description(con.oid, 'pg_constraint') AS comment,
                  CASE WHEN con.contype IN ('p', 'u', 'x') THEN obj_description(con.conindid, 'pg_class') END AS "indexComment",
                  r.relname::text AS references
                FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
                LEFT JOIN pg_class r ON r.oid = con.confrelid AND r.relnamespace = $1
               WHERE c.relnamespace = $1 AND c.relkind = 'r' AND con.contype IN ('p', 'u', 'x', 'c', 'f')
               ORDER BY c.relname, position(con.contype IN 'puxcf'), con.conname`,
  indexes: `SELECT c.relname::text AS table, i.relname::text AS name, x.indisunique AS unique,
              pg_get_indexdef(x.indexrelid) AS def, quote_ident(i.relname) AS "quotedName",
              quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS "quotedTable",
              obj_description(x.indexrelid, 'pg_class') AS comment
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE c.relnamespace = $1 AND c.relkind = 'r' AND NOT EXISTS (
             SELECT 1 FROM pg_constraint con WHERE con.conindid = x.indexrelid AND con.conrelid = x.indrelid
                AND con.contype IN ('p', 'u', 'x'))
           ORDER BY c.relname, i.relname`,
} as const;

/**
 * Reads what the clone re-creates. Run it with the template alone on the search_path: the deparsed
 * defaults and constraints then name template objects unqualified (and everything else qualified), so
 * replayed with the target on the search_path they name the target's objects.
 */
export async function readClonePlan(qr: QueryRunner, templateOid: string): Promise<ClonePlan> {
  const read = async <T>(sql: string): Promise<T[]> => (await qr.query(sql, [templateOid])) as T[];
  return {
    enums: await read<CloneEnum>(SQL.enums),
    tables: await read<CloneTable>(SQL.tables),
    columnFixes: await read<CloneColumnFix>(SQL.columnFixes),
    sequences: await read<CloneSequence>(SQL.sequences),
    constraints: await read<CloneConstraint>(SQL.constraints),
    indexes: await read<CloneIndex>(SQL.indexes),
  };
}
