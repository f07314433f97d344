#!/usr/bin/env node
// Auth benchmark (issue 4), in one run: GET /bench/posts/:id — a post with its author, read by
// TypeORM — answered by the same handler three ways (bench/servers/kwik-auth-posts.mjs):
//   @Public()                                  (baseline; server A)
//   authenticated with a JWT + posts:read      (server A)          target ≥ 0.85× the baseline
//   the same, with Redis rate limiting on      (server B)          target ≥ 0.8× the baseline
// Servers A and B are the same app (auth + security libraries) except for rate limiting.
// Interleaved rounds, medians, req/s and req/CPU-s ratios; servers pinned to one core, the load
// generator to the other. Usage: npm run bench:auth [-- --quick] (flags as bench/data.mjs's).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from 'pg';
import { parseFlags } from './lib/args.mjs';
import { accessToken, DATABASE_URL, ensureDatabase, kwikServerEnv, request } from './lib/kwik.mjs';
import { interleavedRounds } from './lib/load.mjs';
import { freePort, runHarness, startServer } from './lib/proc.mjs';
import { loadTable, median, printTargets, times, writeJson } from './lib/report.mjs';
import { beginRun } from './lib/session.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS_FILE = join(ROOT, '.kwik', 'bench-auth-results.json');
const USAGE = `Usage: node bench/auth.mjs [--quick] [--connections N] [--duration S] [--rounds N] [--warmup S]
                          [--tool autocannon|wrk] [--no-pin]   (as bench/data.mjs; default 64 connections)`;
const TARGETS = { jwt: 0.85, rateLimited: 0.8 };
const ENV = kwikServerEnv({
  DATABASE_URL,
  REDIS_URL: process.env.KWIK_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
});

const valid = (load) => load.non2xx + load.errors + load.timeouts === 0;

async function start(label, rateLimit, pinning) {
  const port = await freePort();
  const spec = {
    name: label,
    command: ['node', 'bench/servers/kwik-auth-posts.mjs'],
    cwd: ROOT,
    port,
    env: { ...ENV, PORT: String(port), RATE_LIMIT: rateLimit },
    readyPath: '/health/ready',
  };
  const server = await startServer(spec, pinning, 90_000);
  started.push(server);
  console.log(`  ${label} ready in ${Math.round(server.coldStartMs)} ms on port ${port}`);
  return { ...server, port, label };
}

async function somePostId() {
  const client = new Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT p.id FROM posts p JOIN tenants t ON t.id = p."tenantId" WHERE t.slug = 'acme' ORDER BY p."createdAt" LIMIT 1`,
    );
    if (!rows[0]) throw new Error('no post in the benchmark database');
    return rows[0].id;
  } finally {
    await client.end();
  }
}

/** Checks an endpoint answers 200 with the post before loading it (and a 401 without the token). */
async function check(ep) {
  const res = await request(ep.server.port, ep.path, { headers: ep.headers });
  if (res.status !== 200 || !res.body.includes('"author"'))
    throw new Error(`${ep.label}: ${res.status} ${res.body.slice(0, 200)}`);
  if (ep.headers.authorization) {
    const anonymous = await request(ep.server.port, ep.path);
    if (anonymous.status !== 401)
      throw new Error(`${ep.label} without a token answered ${anonymous.status}, not 401`);
  }
  return res;
}

async function main() {
  const opts = parseFlags(process.argv.slice(2), {}, {}, USAGE);
  if (opts.help) return void console.log(USAGE);
  const { pinning, header } = beginRun(opts);
  const results = { ...header, endpoints: [], problems: [] };
  console.log('\nDatabase and servers');
  await ensureDatabase(DATABASE_URL);
  const a = await start('A: auth, no rate limit', 'off', pinning);
  const b = await start('B: auth + Redis rate limit', 'redis', pinning);
  const token = await accessToken(a.port);
  const id = await somePostId();
  const bearer = { authorization: `Bearer ${token}` };
  const eps = [
    { key: 'public', label: '@Public (baseline)', server: a, path: `/bench/posts/public/${id}`, headers: {} },
    { key: 'jwt', label: 'JWT + posts:read', server: a, path: `/bench/posts/${id}`, headers: bearer },
    {
      key: 'rateLimited',
      label: 'JWT + Redis rate limit',
      server: b,
      path: `/bench/posts/${id}`,
      headers: bearer,
    },
  ].map((ep) => ({ ...ep, runs: [] }));
  console.log('\nChecks');
  for (const ep of eps) {
    const res = await check(ep);
    const limit = res.headers['ratelimit'] ? `, RateLimit: ${res.headers['ratelimit']}` : '';
    console.log(`  ${ep.label}: 200, ${Buffer.byteLength(res.body)} B${limit}`);
  }
  if (
    !eps[2].headers.authorization ||
    !(await request(b.port, eps[2].path, { headers: bearer })).headers['ratelimit']
  )
    throw new Error('server B does not send RateLimit headers: rate limiting is not on');

  await interleavedRounds(eps, opts, median);
  const base = eps[0].load;
  const ratio = (l, k) => (valid(l) && valid(base) && base[k] ? l[k] / base[k] : null);
  console.log(
    `\nGET /bench/posts/:id (${opts.tool}, ${opts.connections} connections; median of ${opts.rounds} interleaved run(s) of ${opts.duration} s after ${opts.warmup} s warmup)\n`,
  );
  console.log(
    loadTable(eps, (ep, k) => ratio(ep.load, k), {
      ratioLabel: 'vs @Public',
      extra: [{ header: 'server', value: (ep) => ep.server.label }],
    }),
  );
  console.log(
    '\nvs @Public: ratio to the @Public route of server A in this run. other CPU: PostgreSQL and Redis.',
  );
  const targets = [
    ['JWT-authenticated vs @Public, req/s, same run', eps[1], TARGETS.jwt],
    ['JWT + Redis rate limiting vs @Public, req/s, same run', eps[2], TARGETS.rateLimited],
  ].map(([name, ep, goal]) => {
    const figure = ratio(ep.load, 'reqPerSec');
    return {
      name,
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
