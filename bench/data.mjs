#!/usr/bin/env node
// Data-shaping benchmark (issue 3), in one run: the Kwik demo's shaped list
//   GET /api/posts?filter[status]=published&sort=-publishedAt&fields=id,title,publishedAt&limit=20
// against a hand-written Fastify + pg endpoint running the same SQL (bench/servers/pg-posts.mjs),
// on tenant acme topped up to 100,000 posts. 1) req/s of both, interleaved rounds, ratio;
// 2) latency of page 1 vs the page after row 90,000 reached by walking cursors, with the
// baseline's page 1, keyset deep page and OFFSET beside it. Context rows beside 1): the list
// through the data library alone, the demo's stack running the baseline's SQL by hand
// (bench/servers/kwik-floor.mjs), and bare NestJS running it. Servers pinned to one core, the
// load generator (this process) to the other, as in bench/run.mjs.
// Usage: npm run bench:data [-- --quick] — see bench/lib/data-args.mjs.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATA_USAGE, parseDataArgs } from './lib/data-args.mjs';
import {
  DATA_DATABASE_URL,
  DEEP_ROW,
  FIELDS,
  WALK_PAGE,
  baselineCursor,
  baselinePath,
  deepRowFor,
  explainPlans,
  fetchPage,
  kwikPath,
  preparePosts,
  walkCursors,
} from './lib/data-posts.mjs';
import {
  DEMO_ENTRY,
  NO_DEMO_CACHE,
  NO_DEMO_RATE_LIMITS,
  apiHeaders,
  assertDemoBuilt,
  ensureDatabase,
  kwikServerEnv,
} from './lib/kwik.mjs';
import { aggregateRuns, measure } from './lib/load.mjs';
import { freePort, startServer, stopServer } from './lib/proc.mjs';
import { beginRun } from './lib/session.mjs';
import {
  clientBound,
  codes,
  fmt,
  median,
  pct,
  printTargets,
  spread,
  table,
  times,
  writeJson,
} from './lib/report.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS_FILE = join(ROOT, '.kwik', 'bench-data-results.json');
const READY_TIMEOUT_MS = 20_000;
const PRIME_TIMEOUT_MS = 90_000; // the first start on an empty database migrates and seeds
const PAGE = 20;
const STACK_PATH = `/api/floor/posts?limit=${PAGE}`;
const DATA_TARGETS = {
  listRatio: 0.8, // Kwik shaped list req/s vs Fastify + pg, same run
  deepRatio: 1.2, // Kwik page after row 90,000 vs Kwik page 1, p50 latency
};

const SERVERS = {
  kwik: {
    label: 'Kwik demo',
    command: ['node', DEMO_ENTRY],
    env: kwikServerEnv({
      ...NO_DEMO_RATE_LIMITS,
      ...NO_DEMO_CACHE,
      DATABASE_URL: DATA_DATABASE_URL,
      KWIK_SEED: 'true',
    }),
    readyPath: '/health/ready',
    timeoutMs: PRIME_TIMEOUT_MS,
  },
  baseline: {
    label: 'Fastify + pg',
    command: ['node', 'bench/servers/pg-posts.mjs'],
    env: { HOST: '127.0.0.1', DATABASE_URL: DATA_DATABASE_URL },
    readyPath: '/posts?limit=1',
    timeoutMs: READY_TIMEOUT_MS,
  },
  // For context, not targets: where the gap between the demo and the baseline comes from.
  kwikData: {
    label: 'Kwik, data lib only',
    command: ['node', 'bench/servers/kwik-data-posts.mjs'],
    env: kwikServerEnv({ DATABASE_URL: DATA_DATABASE_URL }),
    readyPath: '/health/ready',
    timeoutMs: READY_TIMEOUT_MS,
  },
  // The demo's stack (the demo's modules and settings, bench/servers/kwik-floor.mjs) running the
  // baseline's own SQL by hand: what the stack costs before any data shaping.
  kwikStack: {
    label: 'Kwik stack, own SQL',
    command: ['node', 'bench/servers/kwik-floor.mjs'],
    env: kwikServerEnv({ ...NO_DEMO_RATE_LIMITS, ...NO_DEMO_CACHE, DATABASE_URL: DATA_DATABASE_URL }),
    readyPath: '/health/live',
    timeoutMs: READY_TIMEOUT_MS,
  },
  nestPg: {
    label: 'NestJS + pg',
    command: ['node', 'bench/servers/nest-pg-posts.mjs'],
    env: { HOST: '127.0.0.1', DATABASE_URL: DATA_DATABASE_URL },
    readyPath: '/posts?limit=1',
    timeoutMs: READY_TIMEOUT_MS,
  },
};

async function start(name, pinning) {
  const def = SERVERS[name];
  const port = await freePort();
  const spec = { ...def, name: def.label, cwd: ROOT, port, env: { ...def.env, PORT: String(port) } };
  const started = await startServer(spec, pinning, def.timeoutMs);
  console.log(`  ${def.label} ready in ${Math.round(started.coldStartMs)} ms on port ${port}`);
  return { ...started, port };
}

function isAlive(child) {
  return child.exitCode === null && child.signalCode === null;
}

/** skipped: why it is not loaded (already reported); error: what went wrong during the load. */
function endpoint(server, label, path, headers = {}, skipped = null) {
  return { server, label, path, headers, skipped, runs: [], error: null, load: null };
}

const isValid = (load) => Boolean(load) && load.non2xx + load.errors + load.timeouts === 0;
const ratio = (a, b) => (typeof a === 'number' && typeof b === 'number' && b > 0 ? a / b : null);
const rowLabel = (n) => n.toLocaleString('en-US');

/**
 * Interleaved rounds over `eps` with `connections` connections: every endpoint once per round,
 * the order reversed every other round so neither side always runs first; medians at the end.
 */
async function loadRounds(title, eps, opts, connections, live) {
  const active = eps.filter((ep) => !ep.skipped);
  for (let round = 1; round <= opts.rounds; round++) {
    console.log(
      `\n${title}, round ${round}/${opts.rounds}: ${opts.warmup} s warmup + ${opts.duration} s per endpoint, ` +
        `${connections} connections`,
    );
    for (const ep of round % 2 ? active : [...active].reverse()) {
      if (ep.error) continue;
      const server = live[ep.server];
      if (!isAlive(server.child)) {
        ep.error = `server exited during the load: ${server.child.tail.lines(5).join(' | ')}`;
        continue;
      }
      const url = `http://127.0.0.1:${server.port}${ep.path}`;
      try {
        const run = await measure({ url, headers: ep.headers }, { ...opts, connections }, server.pid);
        ep.runs.push(run);
        const bad = run.non2xx + run.errors + run.timeouts;
        console.log(
          `  ${SERVERS[ep.server].label}, ${ep.label}: ${Math.round(run.reqPerSec)} req/s, ` +
            `p50 ${fmt(run.p50Ms, 2)} ms${bad > 0 ? `, ${run.non2xx} non-2xx, ${run.errors} errors` : ''}`,
        );
      } catch (err) {
        ep.error = err.message;
      }
    }
  }
  for (const ep of eps) if (ep.runs.length > 0) ep.load = aggregateRuns(ep.runs, median);
}

function note(ep) {
  if (!ep.load && ep.error) return `NOT MEASURED: ${ep.error.slice(0, 100)}`;
  if (!ep.load) return ep.skipped ? 'NOT MEASURED (see Checks)' : 'not measured';
  if (!isValid(ep.load)) return `INVALID: ${codes(ep.load.statusCodes)}`;
  return clientBound(ep.load) ? 'client-bound' : '';
}

function printThroughput(eps, base, opts) {
  const rows = eps.map((ep) => {
    const l = ep.load;
    if (!l) return [SERVERS[ep.server].label, ep.label, ...Array(12).fill(''), note(ep)];
    return [
      SERVERS[ep.server].label,
      ep.label,
      fmt(l.reqPerSec),
      spread(l.reqPerSecRuns),
      fmt(l.p50Ms, 2),
      fmt(l.p99Ms, 2),
      times(isValid(l) && isValid(base) ? ratio(l.reqPerSec, base.reqPerSec) : null),
      fmt(l.reqPerCpuSec),
      times(ratio(l.reqPerCpuSec, base?.reqPerCpuSec)),
      fmt(l.non2xx),
      fmt(l.errors + l.timeouts),
      pct(l.serverCpu),
      pct(l.loadgenCpu),
      pct(l.otherCpu),
      note(ep),
    ];
  });
  console.log(
    `\n1. Shaped list, req/s (${opts.tool}, ${opts.connections} connections; median of ${opts.rounds} ` +
      `interleaved run(s) of ${opts.duration} s, each after ${opts.warmup} s warmup)\n`,
  );
  const headers = ['server', 'endpoint', 'req/s', 'runs min-max', 'p50 ms', 'p99 ms', 'vs baseline'];
  headers.push('req/CPU-s', 'vs baseline', 'non-2xx', 'errors', 'server CPU', 'client CPU', 'other CPU', '');
  console.log(table(headers, rows));
  console.log(
    '\nvs baseline: ratio to the hand-written Fastify + pg endpoint in this run. req/CPU-s: 2xx responses\n' +
      "per second of the server process's own CPU (PostgreSQL not included). other CPU: mostly PostgreSQL.\n" +
      'Context rows (not targets): "Kwik, data lib only" serves the same list as a CRUD resource with core,\n' +
      'logging, database and data only (no auth, security, tenancy, cache); "Kwik stack, own SQL" runs the\n' +
      "baseline's SQL by hand on the demo's stack (its modules and settings but versioning; signed in, tenant acme,\n" +
      'row-level security): what the stack costs before any data shaping; "NestJS + pg" runs the\n' +
      "baseline's SQL in one bare NestJS controller.",
  );
}

function printLatency(eps, opts) {
  const page1 = {
    kwik: eps.find((e) => e.server === 'kwik'),
    baseline: eps.find((e) => e.server === 'baseline'),
  };
  const rows = eps.map((ep) => {
    const l = ep.load;
    if (!l) return [SERVERS[ep.server].label, ep.label, ...Array(9).fill(''), note(ep)];
    const first = page1[ep.server].load;
    const ok = isValid(l) && isValid(first);
    return [
      SERVERS[ep.server].label,
      ep.label,
      fmt(l.p50Ms, 2),
      fmt(l.meanMs, 2),
      fmt(l.p99Ms, 2),
      fmt(l.reqPerSec),
      ep.runs.map((r) => fmt(r.p50Ms, 2)).join(' / '),
      times(ok ? ratio(l.p50Ms, first.p50Ms) : null),
      times(ok ? ratio(l.meanMs, first.meanMs) : null),
      fmt(l.non2xx),
      fmt(l.errors + l.timeouts),
      note(ep),
    ];
  });
  console.log(
    `\n2. Page 1 vs deep page, latency (${opts.tool}, ${opts.latencyConnections} connections; median of ` +
      `${opts.rounds} interleaved run(s) of ${opts.duration} s, each after ${opts.warmup} s warmup)\n`,
  );
  const headers = ['server', 'page (limit=20)', 'p50 ms', 'mean ms', 'p99 ms', 'req/s', 'p50 per run'];
  headers.push('p50 vs page 1', 'mean vs page 1', 'non-2xx', 'errors', '');
  console.log(table(headers, rows));
  console.log(
    "\nvs page 1: ratio to the same server's page 1 in this run. Keyset: the cursor from walking the list;\n" +
      'OFFSET: the same page reached by skipping rows, which PostgreSQL must read and sort to get past.',
  );
}

const verdict = (v, ok) => (v === null ? 'n/a' : ok ? 'PASS' : 'MISS');

function evaluateTargets(tp, lat, deep, kwikProblem) {
  const notMeasured = kwikProblem ? 'n/a (Kwik not measured)' : 'n/a';
  const [kwikList, baseList] = tp;
  const [kwikP1, kwikDeep] = lat;
  const listRatio =
    isValid(kwikList.load) && isValid(baseList.load)
      ? ratio(kwikList.load.reqPerSec, baseList.load.reqPerSec)
      : null;
  const deepRatio =
    isValid(kwikP1.load) && isValid(kwikDeep.load) ? ratio(kwikDeep.load.p50Ms, kwikP1.load.p50Ms) : null;
  return [
    {
      name: 'Kwik shaped list req/s vs Fastify + pg, same SQL, same run',
      figure: listRatio === null ? notMeasured : `${fmt(listRatio, 2)}x`,
      target: `>= ${DATA_TARGETS.listRatio}x`,
      status: verdict(listRatio, listRatio >= DATA_TARGETS.listRatio),
    },
    {
      name: `Kwik page after row ${rowLabel(deep.row)} (walked cursors) vs page 1, p50 latency`,
      figure: deepRatio === null ? notMeasured : `${fmt(deepRatio, 2)}x`,
      target: `<= ${DATA_TARGETS.deepRatio}x`,
      status: verdict(deepRatio, deepRatio <= DATA_TARGETS.deepRatio),
    },
  ];
}

const ids = (page) => page.data.map((r) => r.id).join(',');

/** The first rows of two pages that should hold the same rows; a mismatch goes to `problems`. */
function sameRows(what, a, b, problems) {
  if (ids(a) === ids(b)) return true;
  problems.push(`${what}: the rows differ (first ids ${a.data[0]?.id ?? '-'} vs ${b.data[0]?.id ?? '-'})`);
  return false;
}

async function main() {
  const opts = parseDataArgs(process.argv.slice(2));
  if (opts.help) return void console.log(DATA_USAGE);
  const { pinning, header } = beginRun(opts);
  const results = {
    ...header,
    database: { url: DATA_DATABASE_URL.replace(/\/\/[^@/]*@/, '//…@') },
    problems: [],
    warnings: [],
  };
  const problems = results.problems; // anything that makes the run fail (exit 1)
  assertDemoBuilt(ROOT);
  const live = {};
  try {
    console.log('\nDatabase and servers');
    const db = await ensureDatabase(DATA_DATABASE_URL);
    if (db.created) console.log(`  created database ${db.database}`);
    try {
      live.kwik = await start('kwik', pinning);
    } catch (err) {
      problems.push(`Kwik demo did not start: ${err.message}`);
      console.error(`  Kwik demo FAILED to start: ${err.message}`);
    }
    const posts = await preparePosts(ROOT, DATA_DATABASE_URL, opts.posts);
    Object.assign(results.database, posts);
    console.log(
      `  acme: ${rowLabel(posts.total)} posts, ${rowLabel(posts.published)} published` +
        `${posts.added ? ` (${rowLabel(posts.added)} added)` : ''}; ANALYZE posts done`,
    );
    live.baseline = await start('baseline', pinning);
    live.kwikData = await start('kwikData', pinning);
    live.kwikStack = await start('kwikStack', pinning);
    live.nestPg = await start('nestPg', pinning);

    // Sanity checks before any load: status, row count, exactly the selected fields, same rows.
    console.log('\nChecks');
    let kwikProblem = null;
    let headers = {};
    if (live.kwik) {
      try {
        const auth = await apiHeaders(live.kwik.port);
        headers = auth.headers;
        results.auth = auth.auth;
      } catch (err) {
        kwikProblem = err.message;
      }
    } else kwikProblem = 'the demo did not start';
    const want = { rows: PAGE, keys: FIELDS };
    const baseP1 = await fetchPage(live.baseline.port, baselinePath(PAGE), {}, want);
    console.log(`  baseline page 1: ${baseP1.ok ? `200, ${baseP1.bytes} B, ${PAGE} rows` : baseP1.why}`);
    if (!baseP1.ok) throw new Error(`the baseline's page 1 is wrong: ${baseP1.why}`);
    let kwikP1 = null;
    if (!kwikProblem) {
      kwikP1 = await fetchPage(live.kwik.port, kwikPath(PAGE), headers, want);
      console.log(
        `  Kwik page 1: ${kwikP1.ok ? `200, ${kwikP1.bytes} B, ${PAGE} rows of ${FIELDS}` : kwikP1.why}`,
      );
      if (!kwikP1.ok) kwikProblem = `GET ${kwikPath(PAGE)} -> ${kwikP1.why}`;
      else sameRows('page 1, Kwik vs baseline', kwikP1, baseP1, problems);
    }
    // The context servers: the same list through the data library alone, the demo's stack running
    // the baseline's SQL (signed in as on the demo), and bare NestJS.
    const contextProblem = {};
    const contextHeaders = {};
    try {
      contextHeaders.kwikStack = (await apiHeaders(live.kwikStack.port)).headers;
    } catch (err) {
      contextProblem.kwikStack = err.message;
      problems.push(`${SERVERS.kwikStack.label} is not measured: ${err.message}`);
    }
    for (const [name, path] of [
      ['kwikData', kwikPath(PAGE)],
      ['kwikStack', STACK_PATH],
      ['nestPg', baselinePath(PAGE)],
    ]) {
      if (contextProblem[name]) continue;
      const page = await fetchPage(live[name].port, path, contextHeaders[name] ?? {}, want);
      console.log(
        `  ${SERVERS[name].label} page 1: ${page.ok ? `200, ${page.bytes} B, ${PAGE} rows` : page.why}`,
      );
      if (!page.ok) {
        contextProblem[name] = `GET ${path} -> ${page.why}`;
        problems.push(`${SERVERS[name].label} is not measured: ${contextProblem[name]}`);
      } else sameRows(`page 1, ${SERVERS[name].label} vs baseline`, page, baseP1, problems);
    }
    if (kwikProblem) {
      problems.push(`Kwik's shaped list is not measured: ${kwikProblem}`);
      console.log(
        `\n  KWIK NOT MEASURED: its shaped list does not answer 200 with ${PAGE} rows of exactly ` +
          `${FIELDS} (see above); the baseline is still measured\n`,
      );
    }
    results.kwikStatus = kwikProblem ? { measured: false, why: kwikProblem } : { measured: true };

    // Deep page: walk Kwik's cursors (or the baseline's when Kwik's list does not work) to row R.
    const deep = { ...deepRowFor(posts.published, PAGE) };
    results.deep = deep;
    if (deep.reduced) {
      const msg =
        `the published set has ${rowLabel(posts.published)} rows (fewer than ${rowLabel(DEEP_ROW + PAGE)}): ` +
        `the deep page starts after row ${rowLabel(deep.row)} (90 %) instead of ${rowLabel(DEEP_ROW)}`;
      results.warnings.push(msg);
      console.log(`  ${msg}`);
    }
    let kwikWalk = null;
    let kwikDeepProblem = kwikProblem;
    if (!kwikProblem) {
      try {
        kwikWalk = await walkCursors(live.kwik.port, kwikPath, headers, deep.row);
      } catch (err) {
        kwikDeepProblem = `walking Kwik's cursors failed: ${err.message}`;
        problems.push(kwikDeepProblem);
      }
    }
    let walk = kwikWalk;
    deep.walkedOn = 'kwik';
    if (!walk) {
      deep.walkedOn = 'baseline';
      walk = await walkCursors(live.baseline.port, (l, c) => baselinePath(l, { after: c }), {}, deep.row);
    }
    Object.assign(deep, {
      pages: walk.pages,
      walkMs: walk.ms,
      id: walk.row.id,
      publishedAt: walk.row.publishedAt,
    });
    console.log(
      `  walked ${deep.walkedOn === 'kwik' ? "Kwik's" : "the baseline's"} cursors to row ${rowLabel(deep.row)}: ` +
        `${walk.pages} pages of up to ${WALK_PAGE} in ${fmt(walk.ms / 1000, 1)} s (row ${walk.row.id}, ${walk.row.publishedAt})`,
    );
    const afterBase = baselineCursor(walk.row);
    const baseDeep = await fetchPage(live.baseline.port, baselinePath(PAGE, { after: afterBase }), {}, want);
    const baseOffset = await fetchPage(
      live.baseline.port,
      baselinePath(PAGE, { offset: deep.row }),
      {},
      want,
    );
    console.log(`  baseline keyset deep page: ${baseDeep.ok ? '200, 20 rows' : baseDeep.why}`);
    console.log(`  baseline OFFSET ${deep.row}: ${baseOffset.ok ? '200, 20 rows' : baseOffset.why}`);
    if (!baseDeep.ok || !baseOffset.ok)
      problems.push(`baseline deep pages wrong: ${baseDeep.why ?? baseOffset.why}`);
    else sameRows(`baseline page after row ${deep.row}, keyset vs OFFSET`, baseDeep, baseOffset, problems);
    if (kwikWalk) {
      const kwikDeep = await fetchPage(live.kwik.port, kwikPath(PAGE, kwikWalk.cursor), headers, want);
      console.log(`  Kwik deep page: ${kwikDeep.ok ? '200, 20 rows' : kwikDeep.why}`);
      if (!kwikDeep.ok) {
        kwikDeepProblem = `Kwik's page after row ${deep.row}: ${kwikDeep.why}`;
        problems.push(kwikDeepProblem);
      } else if (baseOffset.ok) {
        sameRows(`page after row ${deep.row}, Kwik vs baseline OFFSET`, kwikDeep, baseOffset, problems);
      }
    }
    for (const p of problems) console.log(`  PROBLEM: ${p}`);

    // How PostgreSQL runs the SQL: a sort on page 1 makes both endpoints database-bound.
    const plans = await explainPlans(DATA_DATABASE_URL, { row: walk.row, offset: deep.row, limit: PAGE });
    results.plans = plans;
    console.log("\nPlans (EXPLAIN of the baseline's SQL)");
    for (const [name, p] of Object.entries(plans)) console.log(`  ${name}: ${p.plan}`);
    if (plans.page1.sorts) {
      const msg =
        `PostgreSQL sorts acme's whole published set for page 1 (${plans.page1.plan}): no index serves ` +
        'ORDER BY "publishedAt" DESC NULLS LAST, id DESC, so both endpoints are bound by the database and ' +
        "the req/s ratio and page-1 latency say little about Kwik's own cost; an index on posts " +
        '("tenantId", status, "publishedAt" DESC NULLS LAST, id DESC) would serve it';
      results.warnings.push(msg);
      console.log(`  WARNING: ${msg}`);
    }

    // 1. req/s, 2. latency: interleaved rounds, Kwik's endpoints left out when they do not work.
    const kwikEp = (label, path, problem) => endpoint('kwik', label, path, headers, problem);
    const tp = [
      kwikEp('shaped list, limit=20', kwikPath(PAGE), kwikProblem),
      endpoint('baseline', 'same SQL, limit=20', baselinePath(PAGE)),
      endpoint('kwikData', 'shaped list, limit=20', kwikPath(PAGE), {}, contextProblem.kwikData ?? null),
      endpoint(
        'kwikStack',
        'same SQL, limit=20',
        STACK_PATH,
        contextHeaders.kwikStack,
        contextProblem.kwikStack ?? null,
      ),
      endpoint('nestPg', 'same SQL, limit=20', baselinePath(PAGE), {}, contextProblem.nestPg ?? null),
    ];
    const deepName = `after row ${rowLabel(deep.row)}`;
    const lat = [
      kwikEp('page 1', kwikPath(PAGE), kwikProblem),
      kwikEp(`${deepName} (keyset)`, kwikWalk ? kwikPath(PAGE, kwikWalk.cursor) : '', kwikDeepProblem),
      endpoint('baseline', 'page 1', baselinePath(PAGE)),
      endpoint('baseline', `${deepName} (keyset)`, baselinePath(PAGE, { after: afterBase })),
      endpoint('baseline', `OFFSET ${rowLabel(deep.row)}`, baselinePath(PAGE, { offset: deep.row })),
    ];
    console.log('\nEndpoints');
    for (const ep of [...tp, ...lat]) {
      if (ep.path) console.log(`  ${SERVERS[ep.server].label}, ${ep.label}: GET ${ep.path}`);
    }
    await loadRounds('1. req/s', tp, opts, opts.connections, live);
    await loadRounds('2. latency', lat, opts, opts.latencyConnections, live);

    printThroughput(tp, tp[1].load, opts);
    printLatency(lat, opts);
    results.targets = evaluateTargets(tp, lat, deep, kwikProblem);
    printTargets(results.targets);
    const [, , baseP1Ep, baseDeepEp, baseOffsetEp] = lat;
    const first = baseP1Ep.load;
    const keysetX =
      isValid(first) && isValid(baseDeepEp.load) ? ratio(baseDeepEp.load.p50Ms, first.p50Ms) : null;
    const offsetX =
      isValid(first) && isValid(baseOffsetEp.load) ? ratio(baseOffsetEp.load.p50Ms, first.p50Ms) : null;
    results.baselineDeep = { keysetVsPage1: keysetX, offsetVsPage1: offsetX };
    console.log(
      `\nFor comparison, Fastify + pg (p50 vs its page 1): keyset page ${deepName} ${times(keysetX)}, ` +
        `OFFSET ${rowLabel(deep.row)} ${times(offsetX)}.`,
    );
    for (const ep of [...tp, ...lat]) {
      if (ep.error) {
        problems.push(`${SERVERS[ep.server].label}, ${ep.label}: ${ep.error}`);
      }
      if (ep.load && !isValid(ep.load)) {
        problems.push(
          `${SERVERS[ep.server].label}, ${ep.label}: failed requests (${codes(ep.load.statusCodes)})`,
        );
      }
      delete ep.headers; // may hold a bearer token: keep it out of the JSON file
    }
    results.endpoints = { throughput: tp, latency: lat };
    if (tp[1].load && clientBound(tp[1].load)) {
      results.warnings.push("the baseline's req/s run was client-bound: the ratio to it is overstated");
    }
  } finally {
    await Promise.all(Object.values(live).map((s) => stopServer(s.child)));
  }
  if (!pinning.pinned) results.warnings.push(`servers not pinned (${pinning.reason})`);
  for (const w of results.warnings) console.log(`WARNING: ${w}`);
  for (const p of problems) console.log(`FAILED: ${p}`);
  writeJson(RESULTS_FILE, results);
  console.log(`\nResults written to ${RESULTS_FILE}`);
  if (problems.length > 0) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err.name === 'UsageError' ? err.message : (err.stack ?? err));
  process.exitCode = err.name === 'UsageError' ? 2 : 1;
});
