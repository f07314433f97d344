import type { QueryRunner } from 'typeorm';

/** An object of the template a clone cannot copy faithfully. */
export interface UncopyableObject {
  readonly kind: string;
  readonly name: string;
}

/**
 * What the clone does not copy, one row per object ($1: the template's namespace oid). LIKE copies
 * columns (with their defaults, generation and identity), the cloner adds enums, owned sequences,
 * constraints and indexes; anything else here would be silently missing or still point at the template.
 * The template's enum (and enum array) oids are gathered once: pg_type has no index on the namespace.
 */
const UNCOPYABLE_SQL = `
WITH enums AS MATERIALIZED (
  SELECT COALESCE(array_agg(oid) || array_agg(typarray), '{}'::oid[]) AS oids
    FROM pg_type WHERE typnamespace = $1 AND typtype = 'e'
), generated AS MATERIALIZED (
  SELECT c.relname, a.attname, a.atttypid, ad.oid AS adoid
    FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
    JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
   WHERE c.relnamespace = $1 AND c.relkind = 'r' AND a.attgenerated <> ''
)
SELECT kind, name FROM (
  SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'f' THEN 'foreign table'
           WHEN 'p' THEN 'partitioned table' WHEN 'c' THEN 'composite type' END AS kind, c.relname::text AS name
    FROM pg_class c WHERE c.relnamespace = $1 AND c.relkind IN ('v', 'm', 'f', 'p', 'c')
  UNION ALL
  SELECT 'inheriting table', c.relname FROM pg_class c JOIN pg_inherits i ON i.inhrelid = c.oid WHERE c.relnamespace = $1
  UNION ALL
  SELECT 'sequence not owned by a column', s.relname FROM pg_class s
    WHERE s.relnamespace = $1 AND s.relkind = 'S' AND NOT EXISTS (
      SELECT 1 FROM pg_depend d JOIN pg_class t ON t.oid = d.refobjid
       WHERE d.classid = 'pg_class'::regclass AND d.objid = s.oid AND d.refclassid = 'pg_class'::regclass
         AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i') AND t.relnamespace = $1 AND t.relkind = 'r')
  UNION ALL
  SELECT CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' ELSE 'function' END,
         p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'
    FROM pg_proc p WHERE p.pronamespace = $1
  UNION ALL
  SELECT 'trigger', t.tgname || ' on ' || c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    WHERE c.relnamespace = $1 AND NOT t.tgisinternal
  UNION ALL
  SELECT 'policy', p.polname || ' on ' || c.relname FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
    WHERE c.relnamespace = $1
  UNION ALL
  SELECT 'rule', r.rulename || ' on ' || c.relname FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
    WHERE c.relnamespace = $1 AND c.relkind = 'r'
  UNION ALL
  SELECT CASE t.typtype WHEN 'd' THEN 'domain' WHEN 'r' THEN 'range type' WHEN 'm' THEN 'multirange type'
           ELSE 'base type' END, t.typname
    FROM pg_type t WHERE t.typnamespace = $1 AND t.typtype IN ('b', 'd', 'r', 'm', 'p')
     AND NOT (t.typelem <> 0 AND t.typlen = -1) -- the array types PostgreSQL makes for every type
  UNION ALL
  SELECT 'extended statistics', s.stxname FROM pg_statistic_ext s WHERE s.stxnamespace = $1
  UNION ALL
  SELECT 'collation', c.collname FROM pg_collation c WHERE c.collnamespace = $1
  UNION ALL
  SELECT 'operator', o.oprname FROM pg_operator o WHERE o.oprnamespace = $1
  UNION ALL
  SELECT 'text search configuration', c.cfgname FROM pg_ts_config c WHERE c.cfgnamespace = $1
  UNION ALL
  SELECT 'text search dictionary', d.dictname FROM pg_ts_dict d WHERE d.dictnamespace = $1
  UNION ALL
  SELECT 'extension', e.extname FROM pg_extension e WHERE e.extnamespace = $1
  UNION ALL
  SELECT 'column of a type the clone does not copy', c.relname || '.' || a.attname
    FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid JOIN pg_type t ON t.oid = a.atttypid
    LEFT JOIN pg_type e ON e.oid = t.typelem AND t.typlen = -1, enums
   WHERE c.relnamespace = $1 AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
     AND (t.typnamespace = $1 OR e.typnamespace = $1)
     AND a.atttypid <> ALL (enums.oids)
  UNION ALL
  SELECT 'generated column over an enum', g.relname || '.' || g.attname FROM generated g, enums
   WHERE g.atttypid = ANY (enums.oids) OR EXISTS (
     SELECT 1 FROM pg_depend d
       LEFT JOIN pg_attribute r ON d.refclassid = 'pg_class'::regclass AND r.attrelid = d.refobjid AND r.attnum = d.refobjsubid
      WHERE d.classid = 'pg_attrdef'::regclass AND d.objid = g.adoid
        AND ((d.refclassid = 'pg_type'::regclass AND d.refobjid = ANY (enums.oids)) OR r.atttypid = ANY (enums.oids)))
) found
ORDER BY kind, name`;

/** Lists the template's objects the clone cannot copy faithfully (empty when it can copy everything). */
export async function findUncopyable(qr: QueryRunner, templateOid: string): Promise<UncopyableObject[]> {
  return (await qr.query(UNCOPYABLE_SQL, [templateOid])) as UncopyableObject[];
}

/**
 * Objects of the target that still depend on an object of the template ($1 template oid, $2 target
 * name): what LIKE or a deparsed definition left pointing back (e.g. a name the deparser had to
 * qualify because a pg_catalog object shadows it). Run after the copy, before commit.
 */
const LEFTOVER_SQL = `
WITH template_objects AS (
  SELECT 'pg_class'::regclass AS cls, oid FROM pg_class WHERE relnamespace = $1
  UNION ALL SELECT 'pg_type'::regclass, oid FROM pg_type WHERE typnamespace = $1
  UNION ALL SELECT 'pg_proc'::regclass, oid FROM pg_proc WHERE pronamespace = $1
)
SELECT DISTINCT 'reference to the template' AS kind,
       pg_describe_object(d.classid, d.objid, d.objsubid) || ' → ' ||
       pg_describe_object(d.refclassid, d.refobjid, d.refobjsubid) AS name
  FROM pg_depend d JOIN template_objects o ON o.cls = d.refclassid AND o.oid = d.refobjid
 WHERE $2 = COALESCE((pg_identify_object(d.classid, d.objid, 0)).schema,
                     (SELECT n.nspname::text FROM pg_attrdef ad JOIN pg_class c ON c.oid = ad.adrelid
                       JOIN pg_namespace n ON n.oid = c.relnamespace WHERE d.classid = 'pg_attrdef'::regclass AND ad.oid = d.objid))
 ORDER BY name`;

/** Lists what in `target` still refers to the template after the copy (empty when the copy is self-contained). */
export async function findLeftoverReferences(
  qr: QueryRunner,
  templateOid: string,
  target: string,
): Promise<UncopyableObject[]> {
  return (await qr.query(LEFTOVER_SQL, [templateOid, target])) as UncopyableObject[];
}
