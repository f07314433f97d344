import { escapeIdentifier as q, escapeLiteral } from 'pg';
import type { ClonePlan, CloneIndex, CloneSequence, CloneTable } from './clone-catalog.js';
import type { UncopyableObject } from './clone-checks.js';

const STORAGE_OPTION = /^[a-z_][a-z0-9_.]*=[A-Za-z0-9_.-]+$/;
const INTEGER = /^-?\d+$/;

/**
 * Tables with every template table they reference first (foreign keys between tenant tables); ties and
 * cycles by name. Foreign keys are added once every table exists, so this order is for readability of
 * the statements and for anything a reader expects to exist.
 */
export function dependencyOrder(plan: ClonePlan): CloneTable[] {
  const deps = new Map(plan.tables.map((t) => [t.name, new Set<string>()]));
  for (const c of plan.constraints)
    if (c.type === 'f' && c.references !== null && c.references !== c.table)
      deps.get(c.table)?.add(c.references);
  const byName = new Map(plan.tables.map((t) => [t.name, t]));
  const ordered: CloneTable[] = [];
  const placed = new Set<string>();
  while (placed.size < plan.tables.length) {
    const ready = plan.tables.filter(
      (t) => !placed.has(t.name) && [...deps.get(t.name)!].every((d) => placed.has(d) || !byName.has(d)),
    );
    // A cycle: take the first remaining table by name; its foreign keys come later anyway.
    const next = ready.length > 0 ? ready : [plan.tables.find((t) => !placed.has(t.name))!];
    for (const t of next) {
      ordered.push(t);
      placed.add(t.name);
    }
  }
  return ordered;
}

/** What the statements cannot express faithfully (index definitions or storage parameters of an unexpected shape). */
export function unexpectedShapes(plan: ClonePlan): UncopyableObject[] {
  const out: UncopyableObject[] = [];
  for (const i of plan.indexes)
    if (indexTail(i) === undefined) out.push({ kind: 'index of an unexpected definition', name: i.name });
  for (const t of plan.tables)
    for (const o of t.options ?? [])
      if (!STORAGE_OPTION.test(o)) out.push({ kind: 'table storage parameter', name: `${t.name}: ${o}` });
  for (const s of plan.sequences)
    if (![s.start, s.increment, s.min, s.max, s.cache].every((v) => INTEGER.test(v)))
      out.push({ kind: 'sequence of an unexpected definition', name: s.name });
  return out;
}

/** `USING … (…) …` of an index definition, after its `CREATE [UNIQUE] INDEX name ON schema.table `. */
function indexTail(index: CloneIndex): string | undefined {
  const head = `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${index.quotedName} ON ${index.quotedTable} `;
  if (!index.def.startsWith(head)) return undefined;
  const tail = index.def.slice(head.length);
  return tail.startsWith('USING ') ? tail : undefined;
}

function comment(kind: string, target: string, text: string | null): string[] {
  return text === null ? [] : [`COMMENT ON ${kind} ${target} IS ${escapeLiteral(text)}`];
}

function sequenceSql(s: CloneSequence, target: string): string {
  return (
    `CREATE SEQUENCE ${target}.${q(s.name)} AS ${s.type} INCREMENT BY ${s.increment} MINVALUE ${s.min}` +
    ` MAXVALUE ${s.max} START WITH ${s.start} CACHE ${s.cache} ${s.cycle ? 'CYCLE' : 'NO CYCLE'}` +
    ` OWNED BY ${target}.${q(s.table)}.${q(s.column)}`
  );
}

/**
 * The statements that copy `plan` (read from `template`) into the new schema `target`, in order. They
 * run in one transaction; from the second statement on the target alone is on the search_path, so the
 * deparsed expressions (template objects unqualified) name the target's objects.
 */
export function cloneStatements(
  plan: ClonePlan,
  template: string,
  target: string,
  trackingTable: string,
): string[] {
  const S = q(template);
  const T = q(target);
  const table = (name: string): string => `${T}.${q(name)}`;
  const out = [`CREATE SCHEMA ${T}`, `SET LOCAL search_path TO ${T}`];

  for (const e of plan.enums) {
    out.push(`CREATE TYPE ${T}.${q(e.name)} AS ENUM (${e.labels.map((l) => escapeLiteral(l)).join(', ')})`);
    out.push(...comment('TYPE', `${T}.${q(e.name)}`, e.comment));
  }
  for (const t of dependencyOrder(plan)) {
    const storage = t.options && t.options.length > 0 ? ` WITH (${t.options.join(', ')})` : '';
    out.push(
      `CREATE ${t.unlogged ? 'UNLOGGED ' : ''}TABLE ${table(t.name)} (LIKE ${S}.${q(t.name)} INCLUDING ALL` +
        ` EXCLUDING CONSTRAINTS EXCLUDING INDEXES EXCLUDING STATISTICS)${storage}`,
    );
    out.push(...comment('TABLE', table(t.name), t.comment));
    if (t.rowSecurity) out.push(`ALTER TABLE ${table(t.name)} ENABLE ROW LEVEL SECURITY`);
    if (t.forceRowSecurity) out.push(`ALTER TABLE ${table(t.name)} FORCE ROW LEVEL SECURITY`);
  }
  // LIKE keeps the template's enum types and sequences: drop those defaults, retype, re-create, re-set.
  for (const f of plan.columnFixes)
    if (f.defaultExpr !== null)
      out.push(`ALTER TABLE ${table(f.table)} ALTER COLUMN ${q(f.column)} DROP DEFAULT`);
  for (const f of plan.columnFixes) {
    if (f.enumType === null) continue;
    const type = `${T}.${q(f.enumType)}${f.enumArray ? '[]' : ''}`;
    const using = `${q(f.column)}::text${f.enumArray ? '[]' : ''}::${type}`;
    out.push(`ALTER TABLE ${table(f.table)} ALTER COLUMN ${q(f.column)} TYPE ${type} USING ${using}`);
  }
  for (const s of plan.sequences) out.push(sequenceSql(s, T));
  for (const f of plan.columnFixes)
    if (f.defaultExpr !== null)
      out.push(`ALTER TABLE ${table(f.table)} ALTER COLUMN ${q(f.column)} SET DEFAULT ${f.defaultExpr}`);

  // Constraints and indexes by definition, keeping their names (LIKE would rename the indexes).
  const foreignKeys = plan.constraints.filter((c) => c.type === 'f');
  for (const c of plan.constraints.filter((other) => other.type !== 'f')) {
    out.push(`ALTER TABLE ${table(c.table)} ADD CONSTRAINT ${q(c.name)} ${c.def}`);
    out.push(...comment('CONSTRAINT', `${q(c.name)} ON ${table(c.table)}`, c.comment));
    out.push(...comment('INDEX', `${T}.${q(c.name)}`, c.indexComment));
  }
  for (const i of plan.indexes) {
    out.push(`CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX ${q(i.name)} ON ${table(i.table)} ${indexTail(i)!}`);
    out.push(...comment('INDEX', `${T}.${q(i.name)}`, i.comment));
  }
  for (const c of foreignKeys) {
    out.push(`ALTER TABLE ${table(c.table)} ADD CONSTRAINT ${q(c.name)} ${c.def}`);
    out.push(...comment('CONSTRAINT', `${q(c.name)} ON ${table(c.table)}`, c.comment));
  }
  out.push(`INSERT INTO ${table(trackingTable)} SELECT * FROM ${S}.${q(trackingTable)}`);
  return out;
}
