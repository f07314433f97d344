// Tables, ratios, the informational targets and the JSON file.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname } from 'node:path';

export const TARGETS = {
  liveRatio: 0.85, // Kwik /health/live req/s vs bare NestJS-Fastify, same run
  coldStartMs: 1500, // Kwik demo on PostgreSQL, spawn to first 200 of /health/ready
  rssMb: 130, // Kwik demo on PostgreSQL, VmRSS at ready
};

export function median(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

export function fmt(n, digits = 0) {
  if (n === null || n === undefined || Number.isNaN(n)) return 'n/a';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells.map((c, i) => (i < 2 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i])));
  const out = [line(headers).join('  '), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const r of rows) out.push(line(r).join('  '));
  return out.join('\n');
}

/** Every measured endpoint, flattened, with its req/s ratio to bare NestJS-Fastify `/`. */
export function loadRows(results) {
  const nest = results.servers.nest?.endpoints?.[0]?.load ?? null;
  const rows = [];
  for (const [name, srv] of Object.entries(results.servers)) {
    for (const ep of srv.endpoints ?? []) {
      const ratio = nest?.reqPerSec && ep.load ? ep.load.reqPerSec / nest.reqPerSec : null;
      const cpuRatio =
        nest?.reqPerCpuSec && ep.load?.reqPerCpuSec ? ep.load.reqPerCpuSec / nest.reqPerCpuSec : null;
      rows.push({
        server: name,
        label: srv.label,
        path: ep.path,
        load: ep.load,
        error: ep.error,
        ratio,
        cpuRatio,
      });
    }
  }
  return rows;
}

export function printLoad(results) {
  const rows = loadRows(results).map((r) => {
    if (!r.load) return [r.label, r.path, 'ERROR', '', '', '', '', '', '', '', '', '', '', r.error ?? ''];
    const bad = r.load.non2xx + r.load.errors + r.load.timeouts;
    const note =
      bad > 0 ? `INVALID: ${codes(r.load.statusCodes)}` : clientBound(r.load) ? 'client-bound' : '';
    return [
      r.label,
      r.path,
      fmt(r.load.reqPerSec),
      spread(r.load.reqPerSecRuns),
      fmt(r.load.p50Ms, 1),
      fmt(r.load.p99Ms, 1),
      times(r.ratio),
      fmt(r.load.reqPerCpuSec),
      times(r.cpuRatio),
      fmt(r.load.non2xx),
      fmt(r.load.errors + r.load.timeouts),
      pct(r.load.serverCpu),
      pct(r.load.loadgenCpu),
      pct(r.load.otherCpu),
      note,
    ];
  });
  if (rows.length === 0) return void console.log('\nLoad: no results');
  const headers = [
    'server',
    'endpoint',
    'req/s',
    'runs min-max',
    'p50 ms',
    'p99 ms',
    'vs nest',
    'req/CPU-s',
    'vs nest',
    'non-2xx',
    'errors',
    'server CPU',
    'client CPU',
    'other CPU',
    '',
  ];
  const o = results.options;
  console.log(
    `\nLoad (${o.tool}, ${o.connections} connections; median of ${o.rounds} interleaved run(s) of ` +
      `${o.duration} s, each after ${o.warmup} s warmup)\n`,
  );
  console.log(table(headers, rows));
  console.log(
    '\nvs nest: ratio to bare NestJS-Fastify `/` in this run. req/CPU-s: 2xx responses per second of the\n' +
      "server process's own CPU time (independent of the client's speed; PostgreSQL's share not included).\n" +
      'CPU columns: share of one core used while measured by the server, by this load generator and by\n' +
      "everything else (PostgreSQL for /api/*, kernel network work, other users' jobs). client-bound: the\n" +
      'generator was near 100%, so req/s understates the server.',
  );
}

export const spread = (runs) =>
  runs?.length > 1 ? `${fmt(Math.min(...runs))}-${fmt(Math.max(...runs))}` : '-';
export const times = (x) => (x === null || x === undefined ? 'n/a' : `${fmt(x, 2)}x`);
export const pct = (x) => (x === null || x === undefined ? 'n/a' : `${Math.round(x * 100)}%`);

/** The load generator used (nearly) a whole core: the server may have had more to give. */
export function clientBound(load) {
  return typeof load.loadgenCpu === 'number' && load.loadgenCpu >= 0.9;
}

export function codes(statusCodes) {
  return Object.entries(statusCodes ?? {})
    .filter(([c]) => !c.startsWith('2'))
    .map(([c, n]) => `${n}x${c}`)
    .join(' ');
}

export function printStartup(results) {
  const nest = results.servers.nest?.startup?.coldStartMs ?? null;
  const rows = Object.values(results.servers)
    .filter((s) => s.startup)
    .map((s) => {
      const all = s.startup.coldStartsMs;
      return [
        s.label,
        s.backend ?? '-',
        fmt(s.startup.coldStartMs),
        `${fmt(Math.min(...all))}-${fmt(Math.max(...all))}`,
        times(nest ? s.startup.coldStartMs / nest : null),
        fmt(s.startup.rssMb, 1),
        fmt(s.startup.startCpuMs),
        pct(s.startup.otherCpu),
        fmt(s.startup.primeMs),
      ];
    });
  if (rows.length === 0) return void console.log('\nStartup: no results');
  const n = results.options.starts;
  console.log(
    `\nStartup (spawn to first 200 of the readiness URL; median of ${n} warm start${n > 1 ? 's' : ''})\n`,
  );
  const headers = [
    'server',
    'backend',
    'cold start ms',
    'range',
    'vs nest',
    'RSS MB at ready',
    'CPU ms',
    'other CPU',
  ];
  console.log(table([...headers, 'first start ms'], rows));
  console.log(
    "\nvs nest: cold start over bare NestJS's (steadier than the ms on a shared host). CPU ms: the server\n" +
      "process's own CPU time until ready. other CPU: share of one core the rest of the machine used\n" +
      'meanwhile. first start ms: the priming start (for the demo: migrations and seed when empty).',
  );
}

const check = (value, ok) => (value === null || value === undefined ? 'n/a' : ok ? 'PASS' : 'MISS');

/** The informational targets: { name, figure, target, status: PASS | MISS | n/a }. */
export function evaluateTargets(results) {
  const kwik = results.servers.kwik;
  const live = loadRows(results).find((r) => r.server === 'kwik' && r.path === '/health/live');
  const liveValid = live?.load && live.load.non2xx + live.load.errors + live.load.timeouts === 0;
  const ratio = liveValid ? live.ratio : null;
  const cold = kwik?.startup?.coldStartMs ?? null;
  const rss = kwik?.startup?.rssMb ?? null;
  return [
    {
      name: 'Kwik /health/live req/s vs bare NestJS-Fastify',
      figure: ratio === null ? 'n/a' : `${fmt(ratio, 2)}x`,
      target: `>= ${TARGETS.liveRatio}x`,
      status: check(ratio, ratio >= TARGETS.liveRatio),
    },
    {
      name: 'Kwik demo cold start on PostgreSQL',
      figure: cold === null ? 'n/a' : `${fmt(cold)} ms`,
      target: `<= ${fmt(TARGETS.coldStartMs)} ms`,
      status: check(cold, cold <= TARGETS.coldStartMs),
    },
    {
      name: 'Kwik demo RSS at ready on PostgreSQL',
      figure: rss === null ? 'n/a' : `${fmt(rss, 1)} MB`,
      target: `<= ${TARGETS.rssMb} MB`,
      status: check(rss, rss <= TARGETS.rssMb),
    },
  ];
}

/** Conditions that make this run's ratios unreliable, in words. */
export function runWarnings(results) {
  const warnings = [];
  const rows = loadRows(results).filter((r) => r.load);
  const starts = Object.values(results.servers).map((s) => s.startup?.otherCpu ?? 0);
  const busy = rows.filter((r) => r.server !== 'kwik').map((r) => r.load.otherCpu ?? 0);
  const worst = Math.max(0, ...busy, ...starts);
  if (worst > 0.25) {
    warnings.push(
      `the machine was busy: other processes used up to ${Math.round(worst * 100)}% of a core during ` +
        'starts or hello-endpoint runs; req/s, ratios and cold starts are unreliable: rerun on a quiet machine',
    );
  }
  const nest = rows.find((r) => r.server === 'nest');
  if (nest && clientBound(nest.load)) {
    warnings.push(
      'bare NestJS was client-bound (the load generator ran out of CPU before the server did): ' +
        'its req/s is understated, so ratios to it overstate the others',
    );
  }
  if (!results.pinning.pinned) warnings.push(`servers not pinned (${results.pinning.reason})`);
  return warnings;
}

export function printTargets(targets) {
  console.log('\nTargets (informational, not asserted)\n');
  console.log(
    table(
      ['target', 'figure', 'goal', 'status'],
      targets.map((t) => [t.name, t.figure, t.target, t.status]),
    ),
  );
}

export function writeJson(file, results) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
}

/** The machine a run was measured on, for the JSON file. */
export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memGb: os.totalmem() / 2 ** 30,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

/**
 * The per-endpoint load table of the ratio harnesses (bench:auth, bench:tenant, bench:cache):
 * label, `extra` columns ({ header, value(ep) }), req/s and its spread, latencies, the req/s and
 * req/CPU-s ratios from `ratio(ep, field)` (headed `ratioLabel`), non-2xx and CPU shares.
 */
export function loadTable(eps, ratio, { ratioLabel = 'ratio', extra = [] } = {}) {
  return table(
    [
      'endpoint',
      ...extra.map((c) => c.header),
      'req/s',
      'runs min-max',
      'p50 ms',
      'p99 ms',
      ratioLabel,
      'req/CPU-s',
      ratioLabel,
      'non-2xx',
      'server CPU',
      'other CPU',
    ],
    eps.map((ep) => [
      ep.label,
      ...extra.map((c) => c.value(ep)),
      fmt(ep.load.reqPerSec),
      spread(ep.load.reqPerSecRuns),
      fmt(ep.load.p50Ms, 2),
      fmt(ep.load.p99Ms, 2),
      times(ratio(ep, 'reqPerSec')),
      fmt(ep.load.reqPerCpuSec),
      times(ratio(ep, 'reqPerCpuSec')),
      fmt(ep.load.non2xx),
      pct(ep.load.serverCpu),
      pct(ep.load.otherCpu),
    ]),
  );
}
