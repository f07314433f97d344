#!/usr/bin/env node
// The stack's floor, in one run: what the demo's stack costs per request before any cache or
// database work, and how much of it each library adds. Servers (bench/servers/kwik-floor.mjs, each
// with one library left out, plus the whole stack and bare NestJS) are loaded in interleaved rounds
// on /health/live (Kwik's hooks only) and a constant route through Nest's pipeline. The figure to
// read is server CPU µs per request (a noisy host disturbs it less than req/s), beside bare Nest's.
// Usage: npm run bench:floor [-- --quick] [--only full,-auth,...] (flags as bench/data.mjs's).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFlags } from './lib/args.mjs';
import { accessToken, DATABASE_URL, ensureDatabase, kwikServerEnv } from './lib/kwik.mjs';
import { interleavedRounds } from './lib/load.mjs';
import { freePort, runHarness, startServer } from './lib/proc.mjs';
import { fmt, median, table, times, writeJson } from './lib/report.mjs';
import { beginRun } from './lib/session.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS_FILE = join(ROOT, '.kwik', 'bench-floor-results.json');
const LIBRARIES = ['logging', 'auth', 'security', 'tenant', 'cache'];
const VARIANTS = ['full', ...LIBRARIES.map((name) => `-${name}`), 'core'];
const USAGE = `Usage: node bench/floor.mjs [--quick] [--only LIST] [--connections N] [--duration S] [--rounds N]
                           [--warmup S] [--no-pin]
  --only LIST   Kwik variants to run (default all): ${VARIANTS.join(',')}
                (full: the demo's stack; -X: without library X; core: without any of them)`;
const started = [];

async function start(label, env, pinning, command = ['node', 'bench/servers/kwik-floor.mjs']) {
  const port = await freePort();
  const server = await startServer(
    { name: label, command, cwd: ROOT, port, env: { ...env, PORT: String(port) }, readyPath: env.READY },
    pinning,
    90_000,
  );
  started.push(server);
  console.log(`  ${label} ready in ${Math.round(server.coldStartMs)} ms on port ${port}`);
  return { ...server, port, label };
}

function variantsOf(only) {
  if (only === undefined) return VARIANTS;
  const wanted = String(only).split(',');
  const unknown = wanted.filter((v) => !VARIANTS.includes(v));
  if (unknown.length)
    throw new Error(`--only: unknown ${unknown.join(', ')} (one of ${VARIANTS.join(', ')})`);
  return wanted;
}

/** Server CPU µs per request (from req/CPU-s). */
const usPerRequest = (ep) => (ep.load.reqPerCpuSec ? 1e6 / ep.load.reqPerCpuSec : null);

async function main() {
  const opts = parseFlags(
    process.argv.slice(2),
    {},
    { '--only': (value, raw) => (raw.only = value()) },
    USAGE,
  );
  if (opts.help) return void console.log(USAGE);
  const variants = variantsOf(opts.only);
  const { pinning, header } = beginRun(opts);
  // Servers pinned to one core: idle ones cost nothing, so all stay up for interleaved rounds.
  console.log('\nDatabase and servers');
  await ensureDatabase(DATABASE_URL);
  const nest = await start('bare NestJS', { READY: '/' }, pinning, ['node', 'bench/servers/nest-hello.mjs']);
  const servers = [];
  for (const variant of variants) {
    const without = variant === 'full' ? [] : variant === 'core' ? LIBRARIES : [variant.slice(1)];
    const env = kwikServerEnv({ DATABASE_URL, READY: '/health/live', KWIK_FLOOR_WITHOUT: without.join(',') });
    servers.push({ variant, without, server: await start(`Kwik ${variant}`, env, pinning) });
  }
  const signedIn = servers.find((s) => !s.without.includes('auth'));
  const token = signedIn ? await accessToken(signedIn.server.port) : undefined;
  const headers = { 'x-tenant-id': 'acme', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const eps = [{ key: 'nest', label: 'bare NestJS GET /', server: nest, path: '/', headers: {} }];
  for (const route of ['/health/live', '/api/floor/constant'])
    for (const s of servers)
      eps.push({
        key: `${s.variant} ${route}`,
        label: `Kwik ${s.variant} ${route}`,
        server: s.server,
        path: route,
        headers,
      });
  await interleavedRounds(eps, opts, median);

  const nestUs = usPerRequest(eps[0]);
  const fullOf = (route) => eps.find((ep) => ep.key === `full ${route}`);
  console.log(
    `\nFloor (autocannon, ${opts.connections} connections; median of ${opts.rounds} interleaved run(s) of ${opts.duration} s)\n`,
  );
  console.log(
    table(
      ['endpoint', 'req/s', 'CPU µs/req', 'vs bare Nest', 'vs full stack', 'non-2xx'],
      eps.map((ep) => {
        const us = usPerRequest(ep);
        const full = ep.path ? fullOf(ep.path) : undefined;
        const fullUs = full && full !== ep ? usPerRequest(full) : null;
        return [
          ep.label,
          fmt(ep.load.reqPerSec),
          fmt(us, 1),
          times(us && nestUs ? us / nestUs : null),
          fullUs && us ? `${fmt(us - fullUs, 1)} µs` : '',
          fmt(ep.load.non2xx),
        ];
      }),
    ),
  );
  console.log(
    '\nvs full stack: CPU µs per request this variant saves (negative) against the whole stack, same route.',
  );
  const invalid = eps.filter((ep) => ep.load.non2xx + ep.load.errors + ep.load.timeouts > 0);
  writeJson(RESULTS_FILE, { ...header, endpoints: eps.map(({ server: _server, ...ep }) => ep) });
  console.log(`\nResults written to ${RESULTS_FILE}`);
  if (invalid.length) {
    console.log(`INVALID: non-2xx or errors on ${invalid.map((ep) => ep.label).join(', ')}`);
    process.exitCode = 1;
  }
}

runHarness(main, started);
