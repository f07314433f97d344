#!/usr/bin/env node
// Cache benchmark (issue 6), in one run (bench/servers/kwik-cache-posts.mjs: the demo's stack plus
// @kwik/cache; bench/servers/nest-hello.mjs: bare NestJS on Fastify):
//   cached GET /api/posts, a hit, memory store    target ≥ 0.9×, Redis store ≥ 0.7×, two ways:
//     a small page (10 rows, 2 fields, ~1 KB)      vs bare Nest's hello world
//     the full page (20 posts, ~18 KB)             vs bare Nest sending a body of the same size
//   GET /api/posts/miss (every request a new key)         vs the uncached route of the same server:
//                                                          a miss adds ≤ 5 % (ratio ≥ 0.95×), both stores
// Interleaved rounds, medians, req/s and req/CPU-s; servers pinned to one core, the load generator to
// the other. Usage: npm run bench:cache [-- --quick] (flags as bench/data.mjs's; default 64 connections).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFlags } from './lib/args.mjs';
import { accessToken, DATABASE_URL, ensureDatabase, kwikServerEnv, request } from './lib/kwik.mjs';
import { interleavedRounds } from './lib/load.mjs';
import { freePort, runHarness, startServer } from './lib/proc.mjs';
import { loadTable, median, printTargets, times, writeJson } from './lib/report.mjs';
import { beginRun } from './lib/session.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS_FILE = join(ROOT, '.kwik', 'bench-cache-results.json');
const USAGE = `Usage: node bench/cache.mjs [--quick] [--connections N] [--duration S] [--rounds N] [--warmup S]
                           [--no-pin]   (as bench/data.mjs; default 64 connections; autocannon only)`;
const TARGETS = { hitMemory: 0.9, hitRedis: 0.7, miss: 0.95 };
const REDIS_URL = process.env.KWIK_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const LIST = '/api/posts?limit=20';
/** A small page (10 rows, two fields, about 1 KB): transfer costs about what a hello world's does. */
const SMALL = '/api/posts?limit=10&fields=id,title';

const valid = (load) => load && load.non2xx + load.errors + load.timeouts === 0;

async function start(label, command, env, pinning) {
  const port = await freePort();
  const server = await startServer(
    {
      name: label,
      command,
      cwd: ROOT,
      port,
      env: { ...env, PORT: String(port) },
      readyPath: env.READY ?? '/',
    },
    pinning,
    90_000,
  );
  started.push(server);
  console.log(`  ${label} ready in ${Math.round(server.coldStartMs)} ms on port ${port}`);
  return { ...server, port, label };
}

/** The endpoint answers 200 with rows, and a hit says so (X-Cache), before it is loaded. */
async function check(ep) {
  const headers = { ...ep.headers, 'x-bench-nonce': 'check' };
  const first = await request(ep.server.port, ep.path, { headers });
  if (first.status !== 200) throw new Error(`${ep.label}: ${first.status} ${first.body.slice(0, 300)}`);
  const rows = ep.key.startsWith('nest') ? 1 : JSON.parse(first.body).data?.length;
  if (!rows) throw new Error(`${ep.label}: no rows`);
  const again = await request(ep.server.port, ep.path, { headers });
  const xCache = again.headers['x-cache'] ?? '-';
  if (ep.expect && xCache !== ep.expect)
    throw new Error(`${ep.label}: X-Cache ${xCache}, expected ${ep.expect}`);
  console.log(`  ${ep.label}: 200, ${Buffer.byteLength(first.body)} B, X-Cache on a repeat: ${xCache}`);
}

async function main() {
  const opts = parseFlags(process.argv.slice(2), {}, {}, USAGE);
  if (opts.help) return void console.log(USAGE);
  if (opts.tool !== 'autocannon') throw new Error('bench:cache needs autocannon (unique keys per request)');
  const { pinning, header } = beginRun(opts);
  const results = { ...header, endpoints: [] };
  console.log('\nDatabase and servers');
  await ensureDatabase(DATABASE_URL);
  const env = kwikServerEnv({ DATABASE_URL, REDIS_URL, READY: '/health/ready' });
  const nest = await start('NestJS + Fastify (bare)', ['node', 'bench/servers/nest-hello.mjs'], {}, pinning);
  const server = ['node', 'bench/servers/kwik-cache-posts.mjs'];
  const memory = await start('Kwik, memory store', server, { ...env, CACHE_STORE: 'memory' }, pinning);
  const redis = await start('Kwik, Redis store', server, { ...env, CACHE_STORE: 'redis' }, pinning);
  // The floor runs in a process of its own: a process that also serves the hits would share JIT
  // feedback between Nest's pipeline and the hit path, and slow one by the other.
  const floor = await start(
    'Kwik, floor (constant route)',
    server,
    { ...env, CACHE_STORE: 'memory' },
    pinning,
  );
  const auth = { authorization: `Bearer ${await accessToken(memory.port)}`, 'x-tenant-id': 'acme' };
  const nonce = { ...auth, 'x-bench-nonce': '[<id>]' };
  const fullBytes = Buffer.byteLength((await request(memory.port, LIST, { headers: auth })).body);
  const eps = [
    { key: 'nest', label: 'bare Nest: GET / (hello)', server: nest, path: '/', headers: {} },
    {
      key: 'hitMemory',
      label: 'memory: hit, small page',
      server: memory,
      path: SMALL,
      headers: auth,
      expect: 'HIT',
    },
    {
      key: 'hitRedis',
      label: 'Redis: hit, small page',
      server: redis,
      path: SMALL,
      headers: auth,
      expect: 'HIT',
    },
    {
      key: 'constant',
      label: 'Kwik stack: constant, no cache',
      server: floor,
      path: '/api/posts/constant',
      headers: auth,
    },
    {
      key: 'nestBytes',
      label: `bare Nest: same bytes (${fullBytes} B)`,
      server: nest,
      path: `/bytes/${fullBytes}`,
      headers: {},
    },
    {
      key: 'hitMemoryFull',
      label: 'memory: hit, full page',
      server: memory,
      path: LIST,
      headers: auth,
      expect: 'HIT',
    },
    {
      key: 'hitRedisFull',
      label: 'Redis: hit, full page',
      server: redis,
      path: LIST,
      headers: auth,
      expect: 'HIT',
    },
    {
      key: 'uncachedMemory',
      label: 'memory: uncached route',
      server: memory,
      path: LIST.replace('?', '/uncached?'),
      headers: auth,
    },
    {
      key: 'missMemory',
      label: 'memory: miss',
      server: memory,
      path: LIST.replace('?', '/miss?'),
      headers: nonce,
      idReplacement: true,
    },
    {
      key: 'uncachedRedis',
      label: 'Redis: uncached route',
      server: redis,
      path: LIST.replace('?', '/uncached?'),
      headers: auth,
    },
    {
      key: 'missRedis',
      label: 'Redis: miss',
      server: redis,
      path: LIST.replace('?', '/miss?'),
      headers: nonce,
      idReplacement: true,
    },
  ].map((ep) => ({ ...ep, runs: [] }));
  console.log('\nChecks');
  for (const ep of eps) await check(ep);

  // Phase 1: the hits against bare Nest; phase 2: misses against the uncached route (DB-bound).
  await interleavedRounds(eps.slice(0, 7), opts, median);
  await interleavedRounds(eps.slice(7), opts, median);
  const by = (key) => eps.find((ep) => ep.key === key).load;
  const baseOf = {
    hitMemory: 'nest',
    hitRedis: 'nest',
    constant: 'nest',
    hitMemoryFull: 'nestBytes',
    hitRedisFull: 'nestBytes',
    missMemory: 'uncachedMemory',
    missRedis: 'uncachedRedis',
  };
  const ratio = (ep, k) => {
    const base = baseOf[ep.key] && by(baseOf[ep.key]);
    return base && valid(ep.load) && valid(base) && base[k] ? ep.load[k] / base[k] : null;
  };
  console.log(
    `\nCache (autocannon, ${opts.connections} connections; median of ${opts.rounds} interleaved run(s) of ${opts.duration} s after ${opts.warmup} s warmup)\n`,
  );
  console.log(loadTable(eps, ratio));
  console.log(
    "\nratio: small-page hits vs bare Nest's hello; full-page hits vs bare Nest sending as many bytes; misses vs the same server's uncached route (all in this run).",
  );
  const targets = [
    [
      'Cached GET /api/posts (small page), hit, memory vs bare Nest hello, req/s',
      'hitMemory',
      TARGETS.hitMemory,
    ],
    [
      'Cached GET /api/posts (small page), hit, Redis vs bare Nest hello, req/s',
      'hitRedis',
      TARGETS.hitRedis,
    ],
    [
      'Cached GET /api/posts (full page), hit, memory vs bare Nest same bytes',
      'hitMemoryFull',
      TARGETS.hitMemory,
    ],
    [
      'Cached GET /api/posts (full page), hit, Redis vs bare Nest same bytes',
      'hitRedisFull',
      TARGETS.hitRedis,
    ],
    ['A miss vs the uncached route, memory store, req/s (<= 5% overhead)', 'missMemory', TARGETS.miss],
    ['A miss vs the uncached route, Redis store, req/s (<= 5% overhead)', 'missRedis', TARGETS.miss],
  ].map(([name, key, goal]) => {
    const figure = ratio(
      eps.find((ep) => ep.key === key),
      'reqPerSec',
    );
    return {
      name,
      figure: times(figure),
      target: `>= ${goal}x`,
      status: figure === null ? 'INVALID' : figure >= goal ? 'PASS' : 'MISS',
    };
  });
  printTargets(targets);
  const floorLoad = by('constant');
  const vsFloor = (key) =>
    valid(by(key)) && valid(floorLoad) ? by(key).reqPerSec / floorLoad.reqPerSec : null;
  console.log(
    `\nThe same stack answering a constant (no cache, no database) runs at ${times(
      ratio(
        eps.find((ep) => ep.key === 'constant'),
        'reqPerSec',
      ),
    )} of bare Nest: small-page hits reach ${times(vsFloor('hitMemory'))} (memory) and ${times(
      vsFloor('hitRedis'),
    )} (Redis) of it.`,
  );
  results.endpoints = eps.map(({ key, label, path, load }) => ({ key, label, path, load }));
  results.targets = targets;
  writeJson(RESULTS_FILE, results);
  process.exitCode = eps.every((ep) => valid(ep.load)) ? 0 : 1;
}

/** Servers started by this run, stopped however it ends. */
const started = [];

runHarness(main, started);
