#!/usr/bin/env node
// Tenancy benchmark (issue 5), in one run: tenant acme's shaped post list (bench:data's database,
// acme topped up to 100,000 posts)
//   GET /bench/posts?filter[status]=published&sort=-publishedAt&fields=id,title,publishedAt&limit=20
// answered by one server (bench/servers/kwik-tenant-posts.mjs, shared strategy) two ways through
// the same handler:
//   unscoped       — no tenant: the owner role, the tenant condition written by the handler (baseline)
//   tenant-scoped  — X-Tenant-ID: acme resolved, row-level security on (app role + kwik.tenant_id
//                    set in the statement's own transaction)                 target ≥ 0.9× the baseline
// Interleaved rounds, medians, req/s and req/CPU-s ratios; server pinned to one core, the load
// generator to the other. Usage: npm run bench:tenant [-- --quick] (flags as bench/data.mjs's).
// Schema-per-tenant migration times: bench/tenant-schemas.mjs.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from 'pg';
import { parseFlags } from './lib/args.mjs';
import { DATA_DATABASE_URL as DATABASE_URL, preparePosts } from './lib/data-posts.mjs';
import { ensureDatabase, kwikServerEnv, request } from './lib/kwik.mjs';
import { aggregateRuns, measure } from './lib/load.mjs';
import { freePort, startServer } from './lib/proc.mjs';
import { fmt, median, pct, printTargets, spread, table, times, writeJson } from './lib/report.mjs';
import { beginRun } from './lib/session.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS_FILE = join(ROOT, '.kwik', 'bench-tenant-results.json');
const USAGE = `Usage: node bench/tenant.mjs [--quick] [--connections N] [--duration S] [--rounds N] [--warmup S]
                          [--tool autocannon|wrk] [--no-pin]   (as bench/data.mjs; default 64 connections)`;
const TARGET = 0.9;
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
  const port = await freePort();
  const started = await startServer(
    {
      name: 'tenant',
      command: ['node', 'bench/servers/kwik-tenant-posts.mjs'],
      cwd: ROOT,
      port,
      env: { ...kwikServerEnv({ DATABASE_URL }), PORT: String(port) },
      readyPath: '/health/ready',
    },
    pinning,
    90_000,
  );
  const server = { ...started, port };
  console.log(`  ready in ${Math.round(started.coldStartMs)} ms on port ${port}`);
  // bench:data's database: tenant acme topped up to 100,000 posts (about half published).
  await preparePosts(ROOT, DATABASE_URL, POSTS);
  const id = await acmeId();
  const eps = [
    {
      key: 'unscoped',
      label: 'unscoped (baseline)',
      server,
      path: `/bench/posts/unscoped/${id}?${QUERY}`,
      headers: {},
    },
    {
      key: 'scoped',
      label: 'tenant-scoped (RLS)',
      server,
      path: `/bench/posts?${QUERY}`,
      headers: { 'x-tenant-id': 'acme' },
    },
  ].map((ep) => ({ ...ep, runs: [] }));
  console.log('\nChecks');
  await check(eps);

  for (let round = 1; round <= opts.rounds; round++) {
    console.log(
      `\nRound ${round}/${opts.rounds}: ${opts.warmup} s warmup + ${opts.duration} s each, ${opts.connections} connections`,
    );
    for (const ep of round % 2 ? eps : [...eps].reverse()) {
      const run = await measure(
        { url: `http://127.0.0.1:${port}${ep.path}`, headers: ep.headers },
        opts,
        server.pid,
      );
      ep.runs.push(run);
      console.log(
        `  ${ep.label}: ${Math.round(run.reqPerSec)} req/s, p50 ${fmt(run.p50Ms, 2)} ms, ${run.non2xx} non-2xx`,
      );
    }
  }
  for (const ep of eps) ep.load = aggregateRuns(ep.runs, median);
  const base = eps[0].load;
  const ratio = (l, k) => (valid(l) && valid(base) && base[k] ? l[k] / base[k] : null);
  console.log(
    `\nGET /bench/posts, tenant acme (${opts.tool}, ${opts.connections} connections; median of ${opts.rounds} interleaved run(s) of ${opts.duration} s after ${opts.warmup} s warmup)\n`,
  );
  console.log(
    table(
      [
        'endpoint',
        'req/s',
        'runs min-max',
        'p50 ms',
        'p99 ms',
        'vs unscoped',
        'req/CPU-s',
        'vs unscoped',
        'non-2xx',
        'server CPU',
        'other CPU',
      ],
      eps.map(({ label, load: l }) => [
        label,
        fmt(l.reqPerSec),
        spread(l.reqPerSecRuns),
        fmt(l.p50Ms, 2),
        fmt(l.p99Ms, 2),
        times(ratio(l, 'reqPerSec')),
        fmt(l.reqPerCpuSec),
        times(ratio(l, 'reqPerCpuSec')),
        fmt(l.non2xx),
        pct(l.serverCpu),
        pct(l.otherCpu),
      ]),
    ),
  );
  console.log('\nvs unscoped: ratio to the unscoped route in this run. other CPU: mostly PostgreSQL.');
  const figure = ratio(eps[1].load, 'reqPerSec');
  const targets = [
    {
      name: 'Tenant-scoped (shared, RLS) vs unscoped, req/s, same run',
      figure: times(figure),
      target: `>= ${TARGET}x`,
      status: figure === null ? 'INVALID' : figure >= TARGET ? 'PASS' : 'MISS',
    },
  ];
  printTargets(targets);
  results.endpoints = eps.map(({ key, label, path, load }) => ({ key, label, path, load }));
  results.targets = targets;
  writeJson(RESULTS_FILE, results);
  process.exitCode = eps.every((ep) => valid(ep.load)) ? 0 : 1;
}

main().catch((err) => {
  console.error(err.stack ?? String(err));
  process.exit(1);
});
