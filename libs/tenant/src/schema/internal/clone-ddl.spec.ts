import { describe, expect, it } from 'vitest';
import type { ClonePlan, CloneConstraint, CloneIndex, CloneTable } from './clone-catalog.js';
import { cloneStatements, dependencyOrder, unexpectedShapes } from './clone-ddl.js';

const table = (name: string, extra: Partial<CloneTable> = {}): CloneTable => ({
  name,
  unlogged: false,
  options: null,
  rowSecurity: false,
  forceRowSecurity: false,
  comment: null,
  ...extra,
});
const fk = (from: string, to: string | null): CloneConstraint => ({
  table: from,
  name: `${from}_fk`,
  type: 'f',
  def: `FOREIGN KEY (x) REFERENCES ${to ?? 'public.tenants'}(id)`,
  comment: null,
  indexComment: null,
  references: to,
});
const plan = (extra: Partial<ClonePlan>): ClonePlan => ({
  enums: [],
  tables: [],
  columnFixes: [],
  sequences: [],
  constraints: [],
  indexes: [],
  ...extra,
});
const index = (def: string, extra: Partial<CloneIndex> = {}): CloneIndex => ({
  table: 'posts',
  name: 'posts_title',
  unique: false,
  def,
  quotedName: 'posts_title',
  quotedTable: 'tpl.posts',
  comment: null,
  ...extra,
});

describe('dependencyOrder', () => {
  it.each([
    ['a chain', ['c', 'b', 'a'], [fk('c', 'b'), fk('b', 'a')], ['a', 'b', 'c']],
    ['independent tables by name', ['b', 'a'], [], ['a', 'b']],
    ['a self-reference', ['a'], [fk('a', 'a')], ['a']],
    ['a reference outside the template', ['a'], [fk('a', null)], ['a']],
    ['a cycle, broken by name', ['y', 'x', 'z'], [fk('x', 'y'), fk('y', 'x'), fk('z', 'x')], ['x', 'y', 'z']],
  ])('orders %s', (_case, names, constraints, expected) => {
    const tables = [...names].sort().map((n) => table(n));
    expect(dependencyOrder(plan({ tables, constraints })).map((t) => t.name)).toEqual(expected);
  });
});

describe('unexpectedShapes', () => {
  it('accepts ordinary indexes and storage parameters', () => {
    const p = plan({
      tables: [table('posts', { options: ['fillfactor=70', 'toast.autovacuum_enabled=false'] })],
      indexes: [index('CREATE INDEX posts_title ON tpl.posts USING btree (title)')],
    });
    expect(unexpectedShapes(p)).toEqual([]);
  });

  it.each([
    ['an index on ONLY a table', index('CREATE INDEX posts_title ON ONLY tpl.posts USING btree (title)')],
    ['an index on another table', index('CREATE INDEX posts_title ON other.posts USING btree (title)')],
  ])('flags %s', (_case, i) => {
    expect(unexpectedShapes(plan({ indexes: [i] }))).toEqual([
      { kind: 'index of an unexpected definition', name: 'posts_title' },
    ]);
  });

  it('flags a storage parameter it cannot repeat verbatim', () => {
    const p = plan({ tables: [table('t', { options: ["x='a b'"] })] });
    expect(unexpectedShapes(p)).toEqual([{ kind: 'table storage parameter', name: "t: x='a b'" }]);
  });
});

describe('cloneStatements', () => {
  it('creates the schema, enums, tables, fixes, constraints, indexes, foreign keys and tracking rows in order', () => {
    const p = plan({
      enums: [{ name: 'status', labels: ["it's", 'b'], comment: 'States' }],
      tables: [
        table('kwik_tenant_migrations'),
        table('posts', { unlogged: true, rowSecurity: true, comment: 'P' }),
      ],
      columnFixes: [
        {
          table: 'posts',
          column: 'status',
          enumType: 'status',
          enumArray: false,
          defaultExpr: "'b'::status",
        },
        { table: 'posts', column: 'past', enumType: 'status', enumArray: true, defaultExpr: null },
        {
          table: 'posts',
          column: 'n',
          enumType: null,
          enumArray: false,
          defaultExpr: "nextval('posts_n_seq'::regclass)",
        },
      ],
      sequences: [
        {
          name: 'posts_n_seq',
          table: 'posts',
          column: 'n',
          type: 'integer',
          start: '1',
          increment: '1',
          min: '1',
          max: '2147483647',
          cache: '1',
          cycle: false,
        },
      ],
      constraints: [
        {
          table: 'posts',
          name: 'posts_pkey',
          type: 'p',
          def: 'PRIMARY KEY (id)',
          comment: null,
          indexComment: 'pk',
          references: null,
        },
        fk('posts', null),
      ],
      indexes: [
        index("CREATE INDEX posts_title ON tpl.posts USING btree (title) WHERE (status = 'b'::status)"),
      ],
    });
    expect(cloneStatements(p, 'tpl', 'tenant_new', 'kwik_tenant_migrations')).toEqual([
      'CREATE SCHEMA "tenant_new"',
      'SET LOCAL search_path TO "tenant_new"',
      `CREATE TYPE "tenant_new"."status" AS ENUM ('it''s', 'b')`,
      `COMMENT ON TYPE "tenant_new"."status" IS 'States'`,
      'CREATE TABLE "tenant_new"."kwik_tenant_migrations" (LIKE "tpl"."kwik_tenant_migrations" INCLUDING ALL EXCLUDING CONSTRAINTS EXCLUDING INDEXES EXCLUDING STATISTICS)',
      'CREATE UNLOGGED TABLE "tenant_new"."posts" (LIKE "tpl"."posts" INCLUDING ALL EXCLUDING CONSTRAINTS EXCLUDING INDEXES EXCLUDING STATISTICS)',
      `COMMENT ON TABLE "tenant_new"."posts" IS 'P'`,
      'ALTER TABLE "tenant_new"."posts" ENABLE ROW LEVEL SECURITY',
      'ALTER TABLE "tenant_new"."posts" ALTER COLUMN "status" DROP DEFAULT',
      'ALTER TABLE "tenant_new"."posts" ALTER COLUMN "n" DROP DEFAULT',
      'ALTER TABLE "tenant_new"."posts" ALTER COLUMN "status" TYPE "tenant_new"."status" USING "status"::text::"tenant_new"."status"',
      'ALTER TABLE "tenant_new"."posts" ALTER COLUMN "past" TYPE "tenant_new"."status"[] USING "past"::text[]::"tenant_new"."status"[]',
      'CREATE SEQUENCE "tenant_new"."posts_n_seq" AS integer INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1 NO CYCLE OWNED BY "tenant_new"."posts"."n"',
      `ALTER TABLE "tenant_new"."posts" ALTER COLUMN "status" SET DEFAULT 'b'::status`,
      `ALTER TABLE "tenant_new"."posts" ALTER COLUMN "n" SET DEFAULT nextval('posts_n_seq'::regclass)`,
      'ALTER TABLE "tenant_new"."posts" ADD CONSTRAINT "posts_pkey" PRIMARY KEY (id)',
      `COMMENT ON INDEX "tenant_new"."posts_pkey" IS 'pk'`,
      `CREATE INDEX "posts_title" ON "tenant_new"."posts" USING btree (title) WHERE (status = 'b'::status)`,
      'ALTER TABLE "tenant_new"."posts" ADD CONSTRAINT "posts_fk" FOREIGN KEY (x) REFERENCES public.tenants(id)',
      'INSERT INTO "tenant_new"."kwik_tenant_migrations" SELECT * FROM "tpl"."kwik_tenant_migrations"',
    ]);
  });
});
