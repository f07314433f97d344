#!/usr/bin/env node
// Tenancy benchmark (issue 5), in one run: tenant acme's shaped post list (bench:data's database,
// acme topped up to 100,000 posts)
//   GET /bench/posts?filter[status]=published&sort=-publishedAt&fields=id,title,publishedAt&limit=20
// answered by two servers (bench/servers/kwik-tenant-posts.mjs), one per strategy, each two ways
// through the same handler:
//   unscoped       — no tenant: the owner role, the tenant condition written by the handler, on
//                    public.posts (baseline of each server)
//   tenant-scoped  — X-Tenant-ID: acme resolved; shared: row-level security on (app role +
//                    kwik.tenant_id set in the statement's own transaction)  target ≥ 0.9×
//                    schema: search_path "tenant_acme", public (acme's posts copied there) target ≥ 0.85×
// Interleaved rounds, medians, req/s and req/CPU-s ratios; server pinned to one core, the load
// generator to the other. Usage: npm run bench:tenant [-- --quick] (flags as bench/data.mjs's).
// Schema-per-tenant migration times: bench/tenant-schemas.mjs.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from 'pg';
import { parseFlags } from './lib/args.mjs';
import { DATA_DATABASE_URL as DATABASE_URL, preparePosts } from './lib/data-posts.mjs';
import { ensureDatabase, kwikServerEnv, request } from './lib/kwik.mjs';
import { interleavedRounds } from './lib/load.mjs';
import { freePort, runHarness, startServer } from './lib/proc.mjs';
import { loadTable, median, printTargets, times, writeJson } from './lib/report.mjs';
import { beginRun } from './lib/session.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS_FILE = join(ROOT, '.kwik', 'bench-tenant-results.json');
const USAGE = `Usage: node bench/tenant.mjs [--quick] [--connections N] [--duration S] [--rounds N] [--warmup S]
                          [--tool autocannon|wrk] [--no-pin]   (as bench/data.mjs; default 64 connections)`;
const TARGETS = { shared: 0.9, schema: 0.85 };
const POSTS = 100_000;
const QUERY = 'filter[status]=published&sort=-publishedAt&fields=id,title,publishedAt&limit=20';

const valid = (load) => load.non2xx + load.errors + load.timeouts === 0;

async function acmeId() {
  const client = new Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT id FROM tenants WHERE slug = 'acme'`);
    if (!rows[0]) throw new Error('no tenant acme in the benchmark database');
    return rows[0].id;
  } finally {
    await client.end();
  }
}

/**
 * The schema strategy's server created schema tenant_acme with empty tables: copy acme's posts
 * there (once), so its tenant-scoped list reads the same rows as the unscoped one reads in public.
 */
async function copyIntoTenantSchema(tenantId) {
  const client = new Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    const count = async (relation) =>
      Number(
        (await client.query(`SELECT count(*) AS n FROM ${relation} WHERE "tenantId" = $1`, [tenantId]))
          .rows[0].n,
      );
    const [inPublic, inSchema] = [await count('public.posts'), await count('tenant_acme.posts')];
    if (inPublic === inSchema) return;
    console.log(`  copying ${inPublic.toLocaleString('en-US')} posts of acme into tenant_acme.posts …`);
    const columns = `"id", "createdAt", "updatedAt", "version", "tenantId", "title", "body", "status", "tags", "views", "publishedAt", "authorId"`;
    await client.query('BEGIN');
    await client.query('DELETE FROM tenant_acme.comments');
    await client.query('DELETE FROM tenant_acme.posts');
    await client.query(
      `INSERT INTO tenant_acme.posts (${columns}) SELECT ${columns} FROM public.posts WHERE "tenantId" = $1`,
      [tenantId],
    );
    await client.query('COMMIT');
    await client.query('ANALYZE tenant_acme.posts');
  } finally {
    await client.end();
  }
}

/** Both endpoints must answer 200 with the same rows before the load. */
async function check(eps) {
  const bodies = [];
  for (const ep of eps) {
    const res = await request(ep.server.port, ep.path, { headers: ep.headers });
    if (res.status !== 200) throw new Error(`${ep.label}: ${res.status} ${res.body.slice(0, 300)}`);
    const rows = JSON.parse(res.body).data;
    if (!Array.isArray(rows) || rows.length === 0) throw new Error(`${ep.label}: no rows`);
    bodies.push(JSON.stringify(rows));
    console.log(`  ${ep.label}: 200, ${rows.length} rows`);
  }
  if (bodies[0] !== bodies[1]) throw new Error('the scoped and unscoped lists differ: not the same query');
}

async function main() {
  const opts = parseFlags(process.argv.slice(2), {}, {}, USAGE);
  if (opts.help) return void console.log(USAGE);
  const { pinning, header } = beginRun(opts);
  const results = { ...header, endpoints: [] };
  console.log('\nDatabase and server');
  await ensureDatabase(DATABASE_URL);
  const servers = {};
  for (const strategy of ['shared', 'schema']) {
    const port = await freePort();
    const server = await startServer(
      {
        name: `tenant-${strategy}`,
        command: ['node', 'bench/servers/kwik-tenant-posts.mjs'],
        cwd: ROOT,
        port,
        env: { ...kwikServerEnv({ DATABASE_URL }), PORT: String(port), KWIK_TENANT_STRATEGY: strategy },
        readyPath: '/health/ready',
      },
      pinning,
      90_000,
    );
    servers[strategy] = { ...server, port };
    started.push(server);
    console.log(`  ${strategy} strategy: ready in ${Math.round(server.coldStartMs)} ms on port ${port}`);
    // bench:data's database: tenant acme topped up to 100,000 posts (about half published).
    if (strategy === 'shared') await preparePosts(ROOT, DATABASE_URL, POSTS);
  }
  const id = await acmeId();
  await copyIntoTenantSchema(id);
  const eps = ['shared', 'schema']
    .flatMap((strategy) => [
      {
        key: `${strategy}-unscoped`,
        strategy,
        label: `${strategy}: unscoped (baseline)`,
        server: servers[strategy],
        path: `/bench/posts/unscoped/${id}?${QUERY}`,
        headers: {},
      },
      {
        key: `${strategy}-scoped`,
        strategy,
        label: `${strategy}: tenant-scoped (${strategy === 'shared' ? 'RLS' : 'schema'})`,
        server: servers[strategy],
        path: `/bench/posts?${QUERY}`,
        headers: { 'x-tenant-id': 'acme' },
      },
    ])
    .map((ep) => ({ ...ep, runs: [] }));
  console.log('\nChecks');
  await check(eps.slice(0, 2));
  await check(eps.slice(2));

  await interleavedRounds(eps, opts, median);
  const baseOf = (ep) => eps.find((e) => e.key === `${ep.strategy}-unscoped`).load;
  const ratio = (ep, k) => {
    const base = baseOf(ep);
    return valid(ep.load) && valid(base) && base[k] ? ep.load[k] / base[k] : null;
  };
  console.log(
    `\nGET /bench/posts, tenant acme (${opts.tool}, ${opts.connections} connections; median of ${opts.rounds} interleaved run(s) of ${opts.duration} s after ${opts.warmup} s warmup)\n`,
  );
  console.log(loadTable(eps, ratio, { ratioLabel: 'vs unscoped' }));
  console.log(
    '\nvs unscoped: ratio to the unscoped route of the same server in this run. other CPU: mostly PostgreSQL.',
  );
  const targets = ['shared', 'schema'].map((strategy) => {
    const figure = ratio(
      eps.find((e) => e.key === `${strategy}-scoped`),
      'reqPerSec',
    );
    const goal = TARGETS[strategy];
    return {
      name: `Tenant-scoped (${strategy === 'shared' ? 'shared, RLS' : 'schema per tenant'}) vs unscoped, req/s, same run`,
      figure: times(figure),
      target: `>= ${goal}x`,
      status: figure === null ? 'INVALID' : figure >= goal ? 'PASS' : 'MISS',
    };
  });
  printTargets(targets);
  results.endpoints = eps.map(({ key, label, path, load }) => ({ key, label, path, load }));
  results.targets = targets;
  writeJson(RESULTS_FILE, results);
  process.exitCode = eps.every((ep) => valid(ep.load)) ? 0 : 1;
}

/** Servers started by this run, stopped however it ends. */
const started = [];

runHarness(main, started);
