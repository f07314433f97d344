#!/usr/bin/env node
// API versioning benchmark (issue 7), in one run: the Kwik demo (bench database of `npm run bench`,
// response cache and rate limits off) answers the same requests as v2 (the version its controllers
// are written for, `Accept: application/vnd.kwik.v2+json`) and as v1 (the default, `Accept:
// application/json`), served through one VersionChange (ContentReplacesBody: request body and
// query renamed up, response body renamed down in a preSerialization hook):
//   item GET    /api/posts/<id>           v1 vs v2     target: v1 ≥ 0.9× the req/s of v2
//   shaped list /api/posts?limit=20       v1 vs v2     (default fields: body / content, excerpt)
// Every endpoint is checked first (status, fields per version, Api-Version, Deprecation and Sunset);
// then interleaved rounds, the order reversed every other round, medians, req/s and req/CPU-s; the
// server pinned to one core, the load generator (this process) to the other.
// Usage: npm run bench:versioning [-- --quick] (flags as bench/data.mjs's; default 64 connections).
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseFlags } from './lib/args.mjs';
import {
  DATABASE_URL,
  DEMO_ENTRY,
  NO_DEMO_CACHE,
  NO_DEMO_RATE_LIMITS,
  apiHeaders,
  assertDemoBuilt,
  ensureDatabase,
  kwikServerEnv,
  request,
} from './lib/kwik.mjs';
import { aggregateRuns, measure } from './lib/load.mjs';
import { freePort, runHarness, startServer } from './lib/proc.mjs';
import {
  clientBound,
  codes,
  fmt,
  loadTable,
  median,
  pct,
  printTargets,
  times,
  writeJson,
} from './lib/report.mjs';
import { beginRun } from './lib/session.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS_FILE = join(ROOT, '.kwik', 'bench-versioning-results.json');
const USAGE = `Usage: node bench/versioning.mjs [--quick] [--connections N] [--duration S] [--rounds N] [--warmup S]
                              [--tool autocannon|wrk] [--no-pin]
  --quick        one 3 s run per endpoint, no warmup
  --connections  concurrent connections (default 64)
  --duration     seconds per measured run (default 5; 3 with --quick)
  --rounds       measured runs per endpoint, interleaved; medians reported (default 3; 1 with --quick)
  --warmup       seconds of warmup load before each run (default 2; 0 with --quick)
  --tool         load generator (default autocannon; wrk only when installed)
  --no-pin       do not pin the server / load generator to separate cores`;
const TARGET = 0.9; // v1 through one VersionChange vs v2, req/s, same run
const PRIME_TIMEOUT_MS = 90_000; // the first start on an empty database migrates and seeds
const LIST = '/api/posts?limit=20';
const V1 = { accept: 'application/json' };
const V2 = { accept: 'application/vnd.kwik.v2+json' };
// Access tokens live 15 minutes: sign in again before a measurement that could outlive 10 of them.
const TOKEN_REUSE_MS = 10 * 60_000;
// Load on every endpoint before round 1, not measured: the first of each pair to run would otherwise
// also pay for the JIT of the whole stack (with --quick there is no warmup at all).
const PRIME_SECONDS = 2;

const valid = (load) => Boolean(load) && load.non2xx + load.errors + load.timeouts === 0;

/** The bearer token + tenant headers, renewed when the next measurement could outlive the token. */
function session(port) {
  const state = { headers: null, at: 0, logins: 0, auth: null };
  return {
    state,
    async headers(nextMs = 0) {
      if (!state.headers || performance.now() - state.at + nextMs > TOKEN_REUSE_MS) {
        const { headers, auth } = await apiHeaders(port);
        if (!headers.authorization) throw new Error(`no bearer token from the demo (auth: ${auth})`);
        Object.assign(state, { headers, at: performance.now(), auth });
        state.logins++;
      }
      return state.headers;
    },
  };
}

/** The fields a post must have, and must not have, in each version. */
const FIELDS = {
  1: { has: ['body'], lacks: ['content', 'excerpt'] },
  2: { has: ['content', 'excerpt'], lacks: ['body'] },
};

function fieldProblems(post, version, where) {
  if (!post || typeof post !== 'object' || Array.isArray(post)) return [`${where}: not an object`];
  const { has, lacks } = FIELDS[version];
  return [
    ...has.filter((f) => !Object.hasOwn(post, f)).map((f) => `${where}: no "${f}"`),
    ...lacks.filter((f) => Object.hasOwn(post, f)).map((f) => `${where}: has "${f}"`),
  ];
}

/**
 * One request as the endpoint's version, checked: 200, Api-Version, the deprecation headers (on v1
 * only), the fields of every post. Returns { problems, res, posts } (posts: the item or the rows).
 */
async function checkOne(port, ep, headers, what) {
  const res = await request(port, ep.path, { headers });
  const problems = [];
  const say = (p) => problems.push(`${ep.label}${what}: ${p}`);
  if (res.status !== 200) {
    say(`${res.status} ${res.body.slice(0, 300)}`);
    return { problems, res, posts: [] };
  }
  const apiVersion = res.headers['api-version'];
  if (apiVersion !== ep.version)
    say(`api-version header "${apiVersion ?? '(none)'}", expected ${ep.version}`);
  if (ep.version === '1') {
    if (!res.headers.deprecation) say('no deprecation header');
    if (!res.headers.sunset) say('no sunset header');
  } else if (res.headers.deprecation || res.headers.sunset) {
    say(
      `v2 is not deprecated but carries deprecation "${res.headers.deprecation}", sunset "${res.headers.sunset}"`,
    );
  }
  let json;
  try {
    json = JSON.parse(res.body);
  } catch {
    say(`not JSON: ${res.body.slice(0, 200)}`);
    return { problems, res, posts: [] };
  }
  const posts = ep.kind === 'item' ? [json] : json?.data;
  if (!Array.isArray(posts) || posts.length === 0) say('no rows');
  else {
    // The first post that is wrong, and how many are.
    const wrong = posts.map((p, i) => fieldProblems(p, ep.version, `post ${i}`)).filter((f) => f.length > 0);
    if (wrong.length > 0)
      say(`${wrong[0].join(', ')}${wrong.length > 1 ? ` (${wrong.length} posts wrong)` : ''}`);
  }
  if (ep.kind === 'list' && Array.isArray(posts) && posts.length !== 20) say(`${posts.length} rows, not 20`);
  return { problems, res, posts: Array.isArray(posts) ? posts : [] };
}

const ids = (posts) => posts.map((p) => p.id).join(',');

/**
 * Every endpoint before the load: the checks of checkOne; v1 also without an Accept header (the
 * default version); the v1 and v2 answers of a pair hold the same posts with the same text.
 * Returns the problems; prints what each endpoint answered.
 */
async function check(eps, port, auth) {
  const problems = [];
  const answers = {};
  for (const ep of eps) {
    const base = await auth.headers();
    const asked = await checkOne(port, ep, { ...base, ...ep.accept }, '');
    problems.push(...asked.problems);
    answers[ep.key] = asked;
    ep.bytes = Buffer.byteLength(asked.res.body);
    const h = asked.res.headers;
    console.log(
      `  ${ep.label}: ${asked.res.status}, ${ep.bytes} B, ${asked.posts.length} post(s), api-version ${h['api-version'] ?? '-'}, ` +
        `content-type ${h['content-type'] ?? '-'}, vary ${h.vary ?? '-'}` +
        (h.deprecation ? `, deprecation ${h.deprecation}, sunset ${h.sunset ?? '-'}` : '') +
        (h.link && ep.version === '1' ? `, link ${h.link.slice(0, 80)}` : ''),
    );
    if (ep.version === '1') {
      const bare = await checkOne(port, ep, base, ' (no Accept header)');
      problems.push(...bare.problems);
      if (bare.res.status === 200 && bare.res.body !== asked.res.body) {
        problems.push(
          `${ep.label}: the answer without an Accept header differs from Accept: application/json`,
        );
      }
    }
  }
  for (const kind of ['item', 'list']) {
    const [v1, v2] = [answers[`${kind}-v1`].posts, answers[`${kind}-v2`].posts];
    if (v1.length === 0 || v2.length === 0) continue;
    if (ids(v1) !== ids(v2)) problems.push(`${kind}: v1 and v2 hold different posts`);
    else if (v1.some((p, i) => p.body !== v2[i].content)) {
      problems.push(`${kind}: a v1 body differs from the v2 content of the same post`);
    }
  }
  return problems;
}

/** What the demo answers to a version it does not serve (informational: a 406 is expected). */
async function unsupportedVersion(port, headers) {
  const res = await request(port, LIST, { headers: { ...headers, accept: 'application/vnd.kwik.v9+json' } });
  console.log(
    `  unsupported version (Accept: application/vnd.kwik.v9+json): ${res.status} ` +
      `${res.headers['content-type'] ?? '-'} ${res.body.slice(0, 160)}`,
  );
  return { status: res.status, contentType: res.headers['content-type'] ?? null };
}

function isAlive(child) {
  return child.exitCode === null && child.signalCode === null;
}

/**
 * `opts.rounds` interleaved rounds over `eps`: each endpoint once per round, the order reversed
 * every other round so neither version always runs first (after a priming load on every endpoint,
 * not measured); the token renewed when it could expire
 * during a measurement; then each endpoint's `load` is the median of its runs.
 */
async function loadRounds(eps, opts, server, auth) {
  const measureMs = (opts.warmup + opts.duration) * 1000;
  console.log(`\nPriming (not measured): ${PRIME_SECONDS} s of load on each endpoint`);
  for (const ep of eps) {
    const headers = { ...(await auth.headers(PRIME_SECONDS * 1000)), ...ep.accept };
    const url = `http://127.0.0.1:${server.port}${ep.path}`;
    await measure({ url, headers }, { ...opts, warmup: 0, duration: PRIME_SECONDS }, server.pid);
  }
  for (let round = 1; round <= opts.rounds; round++) {
    console.log(
      `\nRound ${round}/${opts.rounds}: ${opts.warmup} s warmup + ${opts.duration} s each, ${opts.connections} connections`,
    );
    for (const ep of round % 2 ? eps : [...eps].reverse()) {
      if (!isAlive(server.child)) {
        throw new Error(`the demo exited during the load: ${server.child.tail.lines(5).join(' | ')}`);
      }
      const headers = { ...(await auth.headers(measureMs)), ...ep.accept };
      const url = `http://127.0.0.1:${server.port}${ep.path}`;
      const run = await measure({ url, headers }, opts, server.pid);
      ep.runs.push(run);
      const bad = run.non2xx + run.errors + run.timeouts;
      console.log(
        `  ${ep.label}: ${Math.round(run.reqPerSec)} req/s, p50 ${fmt(run.p50Ms, 2)} ms` +
          (bad > 0
            ? `, ${run.non2xx} non-2xx (${codes(run.statusCodes)}), ${run.errors + run.timeouts} errors`
            : ''),
      );
    }
  }
  for (const ep of eps) ep.load = aggregateRuns(ep.runs, median);
}

async function main() {
  let opts;
  try {
    opts = parseFlags(process.argv.slice(2), {}, {}, USAGE);
  } catch (err) {
    if (err.name !== 'UsageError') throw err;
    console.error(err.message);
    process.exitCode = 2;
    return;
  }
  if (opts.help) return void console.log(USAGE);
  const { pinning, header } = beginRun(opts);
  const results = { ...header, database: { url: DATABASE_URL.replace(/\/\/[^@/]*@/, '//…@') }, problems: [] };
  assertDemoBuilt(ROOT);
  console.log('\nDatabase and server');
  const db = await ensureDatabase(DATABASE_URL);
  if (db.created) console.log(`  created database ${db.database}`);
  const port = await freePort();
  const server = await startServer(
    {
      name: 'Kwik demo',
      command: ['node', DEMO_ENTRY],
      cwd: ROOT,
      port,
      env: {
        ...kwikServerEnv({ ...NO_DEMO_RATE_LIMITS, ...NO_DEMO_CACHE, DATABASE_URL, KWIK_SEED: 'true' }),
        PORT: String(port),
      },
      readyPath: '/health/ready',
    },
    pinning,
    PRIME_TIMEOUT_MS,
  );
  started.push(server);
  console.log(`  Kwik demo ready in ${Math.round(server.coldStartMs)} ms on port ${port}`);
  const live = { ...server, port };
  const auth = session(port);
  await auth.headers();
  results.auth = auth.state.auth;

  // An existing post: the first of the list (v2).
  const first = await request(port, '/api/posts?limit=1&fields=id', {
    headers: { ...(await auth.headers()), ...V2 },
  });
  const postId = first.status === 200 ? JSON.parse(first.body).data?.[0]?.id : undefined;
  if (!postId)
    throw new Error(`no post to read: GET /api/posts?limit=1 -> ${first.status} ${first.body.slice(0, 300)}`);
  const item = `/api/posts/${encodeURIComponent(postId)}`;
  const eps = [
    { key: 'item-v1', kind: 'item', version: '1', label: 'item GET, v1 (1 change)', path: item, accept: V1 },
    { key: 'item-v2', kind: 'item', version: '2', label: 'item GET, v2', path: item, accept: V2 },
    {
      key: 'list-v1',
      kind: 'list',
      version: '1',
      label: 'list limit=20, v1 (1 change)',
      path: LIST,
      accept: V1,
    },
    { key: 'list-v2', kind: 'list', version: '2', label: 'list limit=20, v2', path: LIST, accept: V2 },
  ].map((ep) => ({ ...ep, runs: [], load: null }));
  console.log('\nChecks');
  const problems = await check(eps, port, auth);
  results.unsupportedVersion = await unsupportedVersion(port, await auth.headers());
  if (problems.length > 0) {
    results.problems = problems;
    for (const p of problems) console.log(`  FAILED: ${p}`);
    writeJson(RESULTS_FILE, results);
    throw new Error(`${problems.length} check(s) failed before the load: not measured`);
  }
  console.log('  all checks passed');

  await loadRounds(eps, opts, live, auth);
  const pair = (ep) => eps.find((e) => e.kind === ep.kind && e.version === '2');
  const ratio = (ep, k) => {
    if (ep.version !== '1') return null;
    const base = pair(ep).load;
    return valid(ep.load) && valid(base) && base[k] ? ep.load[k] / base[k] : null;
  };
  console.log(
    `\nGET /api/posts, v1 vs v2 (${opts.tool}, ${opts.connections} connections; median of ${opts.rounds} interleaved run(s) of ${opts.duration} s after ${opts.warmup} s warmup)\n`,
  );
  console.log(
    loadTable(eps, ratio, {
      ratioLabel: 'v1/v2',
      extra: [{ header: 'bytes', value: (ep) => fmt(ep.bytes) }],
    }),
  );
  console.log(
    `\nv1/v2: v1 (Accept: application/json, the default version, through ContentReplacesBody) over v2\n` +
      `(Accept: application/vnd.kwik.v2+json) of the same endpoint in this run. Item: post ${postId}. bytes: the\n` +
      "response body. req/CPU-s: 2xx responses per second of the server's own CPU (PostgreSQL not included).",
  );
  const targets = ['item', 'list'].map((kind) => {
    const figure = ratio(
      eps.find((e) => e.key === `${kind}-v1`),
      'reqPerSec',
    );
    return {
      name: `v1 through one VersionChange vs v2, ${kind === 'item' ? 'item GET' : 'shaped list'}, req/s`,
      figure: times(figure),
      target: `>= ${TARGET}x`,
      status: figure === null ? 'INVALID' : figure >= TARGET ? 'PASS' : 'MISS',
    };
  });
  printTargets(targets);
  const warnings = [];
  for (const ep of eps) {
    if (!valid(ep.load)) problems.push(`${ep.label}: failed requests (${codes(ep.load?.statusCodes)})`);
    else if (clientBound(ep.load))
      warnings.push(`${ep.label}: client-bound (the load generator ran out of CPU)`);
  }
  // A pinned server short of its core under 64 connections was waiting (PostgreSQL, other processes):
  // req/s then says more about the machine than about the change; req/CPU-s is the steadier figure.
  const starved = eps.filter((ep) => typeof ep.load?.serverCpu === 'number' && ep.load.serverCpu < 0.8);
  if (pinning.pinned && starved.length > 0) {
    warnings.push(
      `the server used less than 80% of its core (${starved.map((ep) => `${ep.label} ${pct(ep.load.serverCpu)}`).join(', ')}; ` +
        `other CPU up to ${pct(Math.max(...eps.map((ep) => ep.load?.otherCpu ?? 0)))}): the machine was busy, ` +
        'req/s ratios are unreliable; compare req/CPU-s, or rerun on a quiet machine',
    );
  }
  if (!pinning.pinned) warnings.push(`server not pinned (${pinning.reason})`);
  const stderr = server.child.tail.lines(10);
  if (stderr.length > 0) warnings.push(`the demo wrote to stderr: ${stderr.join(' | ').slice(0, 500)}`);
  if (auth.state.logins > 1) console.log(`\nSigned in ${auth.state.logins} times (tokens live 15 minutes).`);
  for (const w of warnings) console.log(`WARNING: ${w}`);
  for (const p of problems) console.log(`FAILED: ${p}`);
  Object.assign(results, { postId, problems, warnings, targets });
  results.endpoints = eps.map(({ key, label, path, accept, bytes, load }) => ({
    key,
    label,
    path,
    accept,
    bytes,
    load,
  }));
  writeJson(RESULTS_FILE, results);
  console.log(`\nResults written to ${RESULTS_FILE}`);
  process.exitCode = problems.length > 0 ? 1 : 0;
}

/** Servers started by this run, stopped however it ends. */
const started = [];

runHarness(main, started);
