#!/usr/bin/env node
// Schema-per-tenant benchmark: how long @kwik/tenant takes to migrate and to provision N tenant
// schemas (default 200) with three small, realistic tenant migrations (users, posts with an enum,
// tags, a generated tsvector and a GIN index, comments with foreign keys), plus --history K later
// ones (added columns and indexes, as an app accumulates them):
//   1) migrate N existing schemas at concurrency 1 and at --concurrency (default 8);
//   2) provision N new schemas one tenant at a time as TenantSchemas.create() does — createSchema()
//      + migrate([schema]) vs cloneSchema() from a migrated template — at concurrency 1 and N.
// Every scenario runs on a freshly created database `kwik_bench_tenants` (dropped and re-created, so
// catalog bloat from the previous one does not count). Timings are wall clock; medians over --rounds.
// Usage: npm run build && node bench/tenant-schemas.mjs [--quick] [--schemas N] [--concurrency N]
//        [--rounds N] [--history K] [--public-fk] [--max-seconds S]   (--help for details)
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Client, escapeIdentifier } from 'pg';
import { DataSource } from 'typeorm';
import { positiveInt, splitArgv, UsageError } from './lib/args.mjs';
import { fmt, machineInfo, median, table, times, writeJson } from './lib/report.mjs';

// The built library (npx tsc -b libs/tenant). Deep paths: they do not pull in the Nest module.
const DIST = '../libs/tenant/dist/schema';
const { TenantSchemaMigrator } = await import(`${DIST}/schema-migrator.js`);
const { cloneSchema } = await import(`${DIST}/schema-cloner.js`);

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS_FILE = join(ROOT, '.kwik', 'bench-tenant-schemas-results.json');
const DATABASE_URL =
  process.env.KWIK_BENCH_TENANTS_URL ?? 'postgres://postgres@127.0.0.1:5432/kwik_bench_tenants';
const TEMPLATE = 'kwik_tenant_template';
const USAGE = `Usage: node bench/tenant-schemas.mjs [--quick] [--schemas N] [--concurrency N] [--rounds N]
                                  [--history K] [--public-fk] [--max-seconds S]
  --quick        50 schemas, one round
  --schemas      tenant schemas per scenario (default 200, at most 2000)
  --concurrency  schemas at once in the parallel scenarios (default 8, at most 64; pool = this)
  --rounds       rounds of all scenarios, interleaved; medians reported (default 1, at most 5)
  --history      K more migrations after the first three (default 0, at most 300): columns, indexes
  --public-fk    users.tenant_id references public.tenants (serialises on that table's lock)
  --max-seconds  give up when the whole run exceeds this (default 600)
Database: KWIK_BENCH_TENANTS_URL (default ${DATABASE_URL}); dropped and re-created per scenario.`;

function parseArgs(argv) {
  const opts = {
    quick: false,
    schemas: undefined,
    concurrency: 8,
    rounds: 1,
    history: 0,
    publicFk: false,
    maxSeconds: 600,
  };
  const args = splitArgv(argv);
  for (let i = 0; i < args.length; i++) {
    const value = () => {
      if (i + 1 >= args.length) throw new UsageError(`${args[i]} needs a value`);
      return args[++i];
    };
    const flag = args[i];
    if (flag === '--help' || flag === '-h') return { help: true };
    else if (flag === '--quick') opts.quick = true;
    else if (flag === '--public-fk') opts.publicFk = true;
    else if (flag === '--schemas') opts.schemas = positiveInt(flag, value(), { max: 2000 });
    else if (flag === '--concurrency') opts.concurrency = positiveInt(flag, value(), { max: 64 });
    else if (flag === '--rounds') opts.rounds = positiveInt(flag, value(), { max: 5 });
    else if (flag === '--history') opts.history = positiveInt(flag, value(), { min: 0, max: 300 });
    else if (flag === '--max-seconds') opts.maxSeconds = positiveInt(flag, value(), { max: 3600 });
    else throw new UsageError(`unknown flag ${flag}`);
  }
  return { ...opts, schemas: opts.schemas ?? (opts.quick ? 50 : 200), rounds: opts.quick ? 1 : opts.rounds };
}

/** The i-th later migration: a column on posts, an index on it, a column on users, and again. */
function historyMigration(i) {
  const n = Math.floor(i / 3);
  const sql = [
    `ALTER TABLE posts ADD COLUMN extra_${n} text`,
    `CREATE INDEX posts_extra_${n} ON posts (extra_${n})`,
    `ALTER TABLE users ADD COLUMN pref_${n} jsonb NOT NULL DEFAULT '{}'`,
  ][i % 3];
  return { name: `History${i}_${1700000100000 + i}`, up: (qr) => qr.query(sql), down: async () => {} };
}

function tenantMigrations(publicFk, history) {
  class CreateUsers1700000000001 {
    async up(qr) {
      await qr.query(`CREATE TYPE user_role AS ENUM ('owner', 'admin', 'member')`);
      await qr.query(`CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ${publicFk ? 'tenant_id uuid NOT NULL REFERENCES tenants (id),' : ''}
        email text NOT NULL, name text NOT NULL, role user_role NOT NULL DEFAULT 'member',
        created_at timestamptz NOT NULL DEFAULT now())`);
      await qr.query('CREATE UNIQUE INDEX users_email ON users (lower(email))');
    }
    async down() {}
  }
  class CreatePosts1700000000002 {
    async up(qr) {
      await qr.query(`CREATE TYPE post_status AS ENUM ('draft', 'published', 'archived')`);
      await qr.query(`CREATE TABLE posts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        author_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        status post_status NOT NULL DEFAULT 'draft', title text NOT NULL, body text NOT NULL DEFAULT '',
        tags text[] NOT NULL DEFAULT '{}', number serial,
        search tsvector GENERATED ALWAYS AS (to_tsvector('english', title || ' ' || body)) STORED,
        published_at timestamptz, created_at timestamptz NOT NULL DEFAULT now())`);
      await qr.query('CREATE INDEX posts_search ON posts USING gin (search)');
      await qr.query(`CREATE INDEX posts_published ON posts (published_at DESC) WHERE status = 'published'`);
      await qr.query('CREATE INDEX posts_author ON posts (author_id)');
    }
    async down() {}
  }
  class CreateComments1700000000003 {
    async up(qr) {
      await qr.query(`CREATE TABLE comments (
        id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        post_id uuid NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
        author_id uuid REFERENCES users (id) ON DELETE SET NULL,
        body text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
      await qr.query('CREATE INDEX comments_post ON comments (post_id, created_at)');
    }
    async down() {}
  }
  const later = Array.from({ length: history }, (_, i) => historyMigration(i));
  return [CreateUsers1700000000001, CreatePosts1700000000002, CreateComments1700000000003, ...later];
}

/** Drops and re-creates the benchmark database; returns a connected data source with a pool of `poolSize`. */
async function freshDatabase(poolSize, publicFk) {
  const target = new URL(DATABASE_URL);
  const name = decodeURIComponent(target.pathname.slice(1));
  const adminUrl = new URL(DATABASE_URL);
  adminUrl.pathname = '/postgres';
  const admin = new Client({ connectionString: adminUrl.href, connectionTimeoutMillis: 5000 });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${escapeIdentifier(name)} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
  const ds = await new DataSource({
    type: 'postgres',
    url: DATABASE_URL,
    poolSize,
    logging: false,
  }).initialize();
  if (publicFk) await ds.query('CREATE TABLE public.tenants (id uuid PRIMARY KEY DEFAULT gen_random_uuid())');
  return ds;
}

async function bounded(items, limit, work) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

const pctl = (values, p) => {
  const v = [...values].sort((a, b) => a - b);
  return v.length === 0 ? null : v[Math.min(v.length - 1, Math.floor((p / 100) * v.length))];
};

/** One scenario on a fresh database: untimed `setup`, then the timed `run`, which returns per-schema latencies (if any). */
async function scenario(opts, { concurrency, setup, run }) {
  const ds = await freshDatabase(Math.max(concurrency, 2), opts.publicFk);
  try {
    const migrator = new TenantSchemaMigrator(ds, {
      migrations: tenantMigrations(opts.publicFk, opts.history),
      concurrency,
    });
    const schemas = Array.from({ length: opts.schemas }, (_, i) => `tenant_b${String(i).padStart(4, '0')}`);
    await setup?.(ds, migrator, schemas);
    const started = performance.now();
    const latencies = (await run(ds, migrator, schemas)) ?? [];
    const totalMs = performance.now() - started;
    const status = await migrator.status(schemas);
    const behind = status.filter((s) => !s.exists || s.pending.length > 0);
    if (behind.length > 0) throw new Error(`${behind.length} schemas not migrated, e.g. ${behind[0].schema}`);
    return { totalMs, p50: pctl(latencies, 50), p95: pctl(latencies, 95) };
  } finally {
    await ds.destroy();
  }
}

const createAll = async (_ds, migrator, schemas) => bounded(schemas, 8, (s) => migrator.createSchema(s));
const timed = async (latencies, fn) => {
  const t = performance.now();
  await fn();
  latencies.push(performance.now() - t);
};
const migrateAll = async (_ds, migrator, schemas) => {
  const report = await migrator.migrate(schemas);
  if (report.failed.length > 0) throw new Error(`migration failed: ${JSON.stringify(report.failed[0])}`);
};
const provisionByMigrations = (concurrency) => async (_ds, migrator, schemas) => {
  const latencies = [];
  await bounded(schemas, concurrency, (s) =>
    timed(latencies, async () => {
      await migrator.createSchema(s);
      const report = await migrator.migrate([s]);
      if (report.failed.length > 0) throw new Error(`migration failed: ${JSON.stringify(report.failed[0])}`);
    }),
  );
  return latencies;
};
const withTemplate = async (_ds, migrator) => {
  await migrator.createSchema(TEMPLATE);
  await migrateAll(_ds, migrator, [TEMPLATE]);
};
const provisionByClone = (concurrency) => async (ds, _migrator, schemas) => {
  const latencies = [];
  await bounded(schemas, concurrency, (s) => timed(latencies, () => cloneSchema(ds, TEMPLATE, s)));
  return latencies;
};

function scenarios(c) {
  return [
    { key: 'migrate1', label: 'migrate existing schemas', concurrency: 1, setup: createAll, run: migrateAll },
    { key: 'migrateN', label: 'migrate existing schemas', concurrency: c, setup: createAll, run: migrateAll },
    {
      key: 'byMigrations1',
      label: 'provision: createSchema + migrate',
      concurrency: 1,
      run: provisionByMigrations(1),
    },
    {
      key: 'byMigrationsN',
      label: 'provision: createSchema + migrate',
      concurrency: c,
      run: provisionByMigrations(c),
    },
    {
      key: 'byClone1',
      label: 'provision: cloneSchema',
      concurrency: 1,
      setup: withTemplate,
      run: provisionByClone(1),
    },
    {
      key: 'byCloneN',
      label: 'provision: cloneSchema',
      concurrency: c,
      setup: withTemplate,
      run: provisionByClone(c),
    },
  ];
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`${err.message}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (opts.help) return void console.log(USAGE);
  const deadline = Date.now() + opts.maxSeconds * 1000;
  const list = scenarios(opts.concurrency);
  const runs = Object.fromEntries(list.map((s) => [s.key, []]));
  console.log(
    `${opts.schemas} schemas, ${3 + opts.history} migrations each, concurrency 1 and ${opts.concurrency}, ${opts.rounds} round(s)` +
      `${opts.publicFk ? ', FK to public.tenants' : ''}; database ${new URL(DATABASE_URL).pathname.slice(1)}`,
  );
  for (let round = 1; round <= opts.rounds; round++) {
    for (const s of list) {
      if (Date.now() > deadline)
        throw new Error(`over --max-seconds ${opts.maxSeconds}; stopping before ${s.key}`);
      const r = await scenario(opts, s);
      runs[s.key].push(r);
      console.log(`  round ${round}: ${s.label}, concurrency ${s.concurrency}: ${fmt(r.totalMs)} ms`);
    }
  }
  const med = (key, field) => median(runs[key].map((r) => r[field]));
  const rows = list.map((s) => [
    s.label,
    String(s.concurrency),
    fmt(med(s.key, 'totalMs')),
    fmt(med(s.key, 'totalMs') / opts.schemas, 1),
    fmt(med(s.key, 'p50'), 1),
    fmt(med(s.key, 'p95'), 1),
  ]);
  console.log(`\n${table(['scenario', 'conc.', 'total ms', 'ms/schema', 'p50 ms', 'p95 ms'], rows)}`);
  const ratio = (a, b) => med(a, 'totalMs') / med(b, 'totalMs');
  const ratios = {
    migrateParallelSpeedup: ratio('migrate1', 'migrateN'),
    cloneSpeedupSerial: ratio('byMigrations1', 'byClone1'),
    cloneSpeedupParallel: ratio('byMigrationsN', 'byCloneN'),
    provisionParallelSpeedupMigrations: ratio('byMigrations1', 'byMigrationsN'),
    provisionParallelSpeedupClone: ratio('byClone1', 'byCloneN'),
  };
  console.log(
    `\n${table(
      ['ratio', 'of totals', 'value'],
      [
        [`migrate: concurrency ${opts.concurrency} vs 1`, 'c1 / cN', times(ratios.migrateParallelSpeedup)],
        ['provision: clone vs migrations, one at a time', 'migr / clone', times(ratios.cloneSpeedupSerial)],
        [
          `provision: clone vs migrations, ${opts.concurrency} at a time`,
          'migr / clone',
          times(ratios.cloneSpeedupParallel),
        ],
        [
          `provision by migrations: ${opts.concurrency} vs 1`,
          'c1 / cN',
          times(ratios.provisionParallelSpeedupMigrations),
        ],
        [
          `provision by clone: ${opts.concurrency} vs 1`,
          'c1 / cN',
          times(ratios.provisionParallelSpeedupClone),
        ],
      ],
    )}`,
  );
  writeJson(RESULTS_FILE, {
    date: new Date().toISOString(),
    machine: machineInfo(),
    options: opts,
    runs,
    ratios,
  });
  console.log(`\nResults: ${RESULTS_FILE}`);
}

await main();
