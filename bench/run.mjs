#!/usr/bin/env node
// Kwik benchmark harness: in one run, bare Fastify, bare NestJS-on-Fastify and the Kwik demo,
// each in its own (pinned) child process. Startup is measured per server (one priming start,
// then warm starts); the last start stays up, and the load then visits every endpoint in
// interleaved rounds from this process, so slow phases of a noisy VM hit all targets alike.
// Usage: npm run bench [-- --quick] [-- --only fastify,nest] — see bench/lib/args.mjs.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, USAGE } from './lib/args.mjs';
import {
  DATABASE_URL,
  DEMO_ENTRY,
  NO_DEMO_CACHE,
  NO_DEMO_RATE_LIMITS,
  apiHeaders,
  assertDemoBuilt,
  ensureDatabase,
  kwikServerEnv,
  sampleResponse,
} from './lib/kwik.mjs';
import { aggregateRuns, measure } from './lib/load.mjs';
import { freePort, startServer, stopServer } from './lib/proc.mjs';
import { beginRun } from './lib/session.mjs';
import {
  evaluateTargets,
  median,
  printLoad,
  printStartup,
  printTargets,
  runWarnings,
  writeJson,
} from './lib/report.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS_FILE = join(ROOT, '.kwik', 'bench-results.json');
const READY_TIMEOUT_MS = 20_000;
const PRIME_TIMEOUT_MS = 90_000; // the first Kwik start migrates and seeds

const SERVERS = {
  fastify: {
    label: 'Fastify 5 (bare)',
    command: ['node', 'bench/servers/fastify-hello.mjs'],
    readyPath: '/',
    endpoints: [{ path: '/' }],
  },
  nest: {
    label: 'NestJS 12 + Fastify (bare)',
    command: ['node', 'bench/servers/nest-hello.mjs'],
    readyPath: '/',
    endpoints: [{ path: '/' }],
  },
  kwik: {
    label: 'Kwik demo',
    backend: 'PostgreSQL',
    command: ['node', DEMO_ENTRY],
    env: kwikServerEnv({ ...NO_DEMO_RATE_LIMITS, ...NO_DEMO_CACHE, DATABASE_URL, KWIK_SEED: 'true' }),
    readyPath: '/health/ready',
    prepare: async () => {
      assertDemoBuilt(ROOT);
      const db = await ensureDatabase();
      if (db.created) console.log(`  created database ${db.database}`);
    },
    endpoints: [{ path: '/health/live' }, { path: '/api/posts?limit=20', api: true }],
  },
};

async function start(def, pinning, timeoutMs) {
  const port = await freePort();
  const spec = { ...def, name: def.label, cwd: ROOT, port, env: { ...def.env, PORT: String(port) } };
  return { ...(await startServer(spec, pinning, timeoutMs)), port };
}

/** One priming start (seeds the DB, warms the page cache), then `starts` measured ones. */
async function measureStartup(def, opts, pinning) {
  const prime = await start(def, pinning, PRIME_TIMEOUT_MS);
  await stopServer(prime.child);
  const runs = [];
  for (let i = 0; i < opts.starts; i++) {
    const run = await start(def, pinning, READY_TIMEOUT_MS);
    runs.push(run);
    if (i < opts.starts - 1) await stopServer(run.child);
  }
  const live = runs[runs.length - 1];
  const startup = {
    primeMs: prime.coldStartMs,
    coldStartsMs: runs.map((r) => r.coldStartMs),
    rssAllMb: runs.map((r) => r.rssMb),
    coldStartMs: median(runs.map((r) => r.coldStartMs)),
    rssMb: median(runs.map((r) => r.rssMb)),
    startCpuMs: median(runs.map((r) => r.startCpuMs)),
    otherCpu: median(runs.map((r) => r.otherCpu)),
    process: live.procName,
  };
  return { live, startup };
}

/** Headers and a sample response for each endpoint of a live server, before any load. */
async function prepareEndpoints(name, live) {
  const eps = [];
  for (const ep of SERVERS[name].endpoints) {
    const { headers, auth } = ep.api ? await apiHeaders(live.port) : { headers: {}, auth: 'none' };
    const sample = await sampleResponse(live.port, ep.path, headers);
    console.log(
      `  ${ep.path}: sample ${sample.status}, ${sample.bytes} B` +
        `${sample.rows === null ? '' : `, ${sample.rows} rows`}, auth ${auth}`,
    );
    if (sample.status < 200 || sample.status > 299) console.log(`    body: ${sample.snippet}`);
    eps.push({ path: ep.path, auth, sample, headers, runs: [] });
  }
  return eps;
}

function isAlive(child) {
  return child.exitCode === null && child.signalCode === null;
}

async function startOne(name, opts, pinning) {
  const def = SERVERS[name];
  console.log(`\n${def.label}`);
  await def.prepare?.();
  const { live, startup } = await measureStartup(def, opts, pinning);
  console.log(
    `  ready in ${Math.round(startup.coldStartMs)} ms (median), RSS ${startup.rssMb?.toFixed(1)} MB`,
  );
  try {
    const endpoints = await prepareEndpoints(name, live);
    return { name, live, result: { label: def.label, backend: def.backend, startup, endpoints } };
  } catch (err) {
    await stopServer(live.child);
    throw err;
  }
}

/**
 * Rounds of load in phases by endpoint position: phase 1 measures each server's first endpoint
 * (`/` for the baselines, `/health/live` for Kwik), interleaved round by round; then phase 2
 * Kwik's `/api/posts`. The endpoints that are compared are measured before the DB-heavy one, so
 * that workload's effect on the process (JIT feedback, heap) does not colour the comparison —
 * the baselines serve nothing else either.
 */
async function loadRounds(started, opts) {
  const phases = Math.max(...started.map((s) => s.result.endpoints.length));
  for (let phase = 0; phase < phases; phase++) {
    for (let round = 1; round <= opts.rounds; round++) {
      console.log(
        `\nPhase ${phase + 1}, round ${round}/${opts.rounds}: ${opts.warmup} s warmup + ${opts.duration} s per endpoint`,
      );
      for (const { name, live, result } of started) {
        const ep = result.endpoints[phase];
        if (!ep || ep.error) continue;
        if (!isAlive(live.child)) {
          ep.error = `server exited during the load: ${live.child.tail.lines(5).join(' | ')}`;
          continue;
        }
        const url = `http://127.0.0.1:${live.port}${ep.path}`;
        try {
          const run = await measure({ url, headers: ep.headers }, opts, live.pid);
          ep.runs.push(run);
          console.log(
            `  ${name} ${ep.path}: ${Math.round(run.reqPerSec)} req/s` +
              `${run.non2xx + run.errors + run.timeouts > 0 ? `, ${run.non2xx} non-2xx, ${run.errors} errors` : ''}`,
          );
        } catch (err) {
          ep.error = err.message;
        }
      }
    }
  }
  for (const { result } of started) {
    for (const ep of result.endpoints) {
      if (ep.runs.length > 0) ep.load = aggregateRuns(ep.runs, median);
      delete ep.headers; // may hold a bearer token: keep it out of the JSON file
    }
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.help) return void console.log(USAGE);
  const { pinning, header } = beginRun(opts);
  const results = { ...header, servers: {}, failures: [] };
  const started = [];
  try {
    for (const name of opts.only) {
      try {
        started.push(await startOne(name, opts, pinning));
      } catch (err) {
        console.error(`\n${SERVERS[name].label} FAILED: ${err.message}`);
        results.failures.push({ server: name, error: err.message, tail: err.tail });
      }
    }
    if (started.length > 0) await loadRounds(started, opts);
  } finally {
    await Promise.all(started.map((s) => stopServer(s.live.child)));
  }
  for (const s of started) results.servers[s.name] = s.result;
  printLoad(results);
  printStartup(results);
  results.targets = evaluateTargets(results);
  printTargets(results.targets);
  results.warnings = runWarnings(results);
  for (const w of results.warnings) console.log(`WARNING: ${w}`);
  writeJson(RESULTS_FILE, results);
  console.log(`\nResults written to ${RESULTS_FILE}`);
  const endpointErrors = Object.values(results.servers).flatMap((s) => s.endpoints.filter((e) => e.error));
  if (results.failures.length > 0 || endpointErrors.length > 0) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err.name === 'UsageError' ? err.message : (err.stack ?? err));
  process.exitCode = err.name === 'UsageError' ? 2 : 1;
});
