// Load generation: autocannon's programmatic API (default), or wrk when asked and installed.
// Both return { reqPerSec, p50Ms, p99Ms, total, non2xx, errors, timeouts, statusCodes }.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { cpuTimeMs, machineBusyMs, selfCpuMs } from './proc.mjs';

export function wrkAvailable() {
  const r = spawnSync('wrk', ['--version'], { timeout: 2000 });
  return !r.error;
}

/**
 * autocannon's own latency histogram has 1 ms resolution (a sub-ms p50 prints as 0), so 2xx
 * latencies are also recorded here from its `response` events, in 10 µs buckets up to 5 s.
 */
class LatencyHistogram {
  static BUCKET_MS = 0.01;
  constructor(maxMs = 5000) {
    this.counts = new Uint32Array(Math.ceil(maxMs / LatencyHistogram.BUCKET_MS) + 1);
    this.total = 0;
    this.sum = 0;
  }
  record(ms) {
    this.sum += ms;
    const i = Math.min(this.counts.length - 1, Math.floor(ms / LatencyHistogram.BUCKET_MS));
    this.counts[i]++;
    this.total++;
  }
  mean() {
    return this.total === 0 ? null : this.sum / this.total;
  }
  percentile(p) {
    if (this.total === 0) return null;
    const rank = Math.ceil((p / 100) * this.total);
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i];
      if (seen >= rank) return (i + 1) * LatencyHistogram.BUCKET_MS;
    }
    return null;
  }
}

function fromAutocannon(r, hist) {
  const statusCodes = {};
  for (const [code, { count }] of Object.entries(r.statusCodeStats ?? {})) statusCodes[code] = count;
  return {
    reqPerSec: r.requests.average,
    p50Ms: hist.percentile(50) ?? r.latency.p50,
    p99Ms: hist.percentile(99) ?? r.latency.p99,
    meanMs: hist.mean() ?? r.latency.mean,
    total: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes,
  };
}

function runAutocannon({ url, headers, connections, duration, idReplacement = false }) {
  const hist = new LatencyHistogram();
  const instance = autocannon({
    url,
    headers,
    // `[<id>]` in a header or the URL becomes a new id on every request (unique cache keys).
    idReplacement,
    connections,
    duration,
    pipelining: 1,
    timeout: 10,
    renderProgressBar: false,
    renderResultsTable: false,
    renderLatencyTable: false,
  });
  instance.on('response', (_client, status, _bytes, ms) => {
    if (status >= 200 && status < 300) hist.record(ms);
  });
  return instance.then((r) => fromAutocannon(r, hist));
}

const UNIT_MS = { us: 0.001, ms: 1, s: 1000, m: 60000 };

function toMs(text) {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text);
  return m ? Number(m[1]) * UNIT_MS[m[2]] : null;
}

/** Parse `wrk --latency` output (exported for a unit check; wrk is rarely installed). */
export function parseWrk(out, duration) {
  const num = (re) => Number(re.exec(out)?.[1] ?? 0);
  const pct = (p) => toMs(new RegExp(`^\\s*${p}%\\s+(\\S+)`, 'm').exec(out)?.[1] ?? '');
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const total = num(/(\d+) requests in/);
  return {
    reqPerSec: num(/Requests\/sec:\s+([\d.]+)/) || total / duration,
    p50Ms: pct(50),
    p99Ms: pct(99),
    meanMs: toMs(/^\s*Latency\s+(\S+)/m.exec(out)?.[1] ?? ''),
    total,
    non2xx: num(/Non-2xx or 3xx responses: (\d+)/),
    errors: sock ? Number(sock[1]) + Number(sock[2]) + Number(sock[3]) : 0,
    timeouts: sock ? Number(sock[4]) : 0,
    statusCodes: {},
  };
}

function runWrk({ url, headers, connections, duration }) {
  const h = Object.entries(headers ?? {}).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  const args = ['-t1', `-c${connections}`, `-d${duration}s`, '--latency', ...h, url];
  const r = spawnSync('wrk', args, { encoding: 'utf8', timeout: (duration + 30) * 1000 });
  if (r.error || r.status !== 0) throw new Error(`wrk failed: ${r.error?.message ?? r.stderr}`);
  return parseWrk(r.stdout, duration);
}

/**
 * One measured run against a URL, after an optional warmup of `warmup` seconds. Also the
 * CPU share (of one core) the server process and this load generator used while measured:
 * a load generator near 100% means the figure is bounded by the client, not the server.
 * target: { url, headers }, opts: { tool, connections, duration, warmup }, serverPid
 */
export async function measure(target, opts, serverPid) {
  const run = opts.tool === 'wrk' ? runWrk : runAutocannon;
  const base = {
    url: target.url,
    headers: target.headers ?? {},
    connections: opts.connections,
    idReplacement: target.idReplacement ?? false,
  };
  if (base.idReplacement && opts.tool === 'wrk')
    throw new Error('idReplacement needs autocannon (--tool autocannon)');
  if (opts.warmup > 0) await run({ ...base, duration: opts.warmup });
  const t0 = performance.now();
  const [server0, self0, all0] = [cpuTimeMs(serverPid), selfCpuMs(), machineBusyMs()];
  const result = await run({ ...base, duration: opts.duration });
  const wall = performance.now() - t0;
  const [server1, self1, all1] = [cpuTimeMs(serverPid), selfCpuMs(), machineBusyMs()];
  const serverMs = server0 === null || server1 === null ? null : server1 - server0;
  result.serverCpu = serverMs === null ? null : serverMs / wall;
  // Requests answered per second of the server's own CPU time: a cost per request that does
  // not depend on how fast the client could push (comparable between saturated servers).
  result.reqPerCpuSec = serverMs ? (result.total - result.non2xx) / (serverMs / 1000) : null;
  // wrk runs in its own process: its CPU is not this process's.
  result.loadgenCpu = opts.tool === 'wrk' ? null : (self1 - self0) / wall;
  // Everything else on the machine (other users' builds; PostgreSQL for database endpoints).
  const all = all0 === null || all1 === null ? null : (all1 - all0) / wall;
  result.otherCpu =
    all === null || result.serverCpu === null
      ? null
      : Math.max(0, all - result.serverCpu - (result.loadgenCpu ?? 0));
  return result;
}

/** Several runs of one endpoint → medians (req/s, latencies, CPU) and summed error counts. */
export function aggregateRuns(runs, median) {
  const sum = (k) => runs.reduce((a, r) => a + (r[k] ?? 0), 0);
  const statusCodes = {};
  for (const r of runs) {
    for (const [code, n] of Object.entries(r.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
  }
  return {
    reqPerSec: median(runs.map((r) => r.reqPerSec)),
    reqPerSecRuns: runs.map((r) => Math.round(r.reqPerSec)),
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    meanMs: median(runs.map((r) => r.meanMs)),
    total: sum('total'),
    non2xx: sum('non2xx'),
    errors: sum('errors'),
    timeouts: sum('timeouts'),
    statusCodes,
    reqPerCpuSec: median(runs.map((r) => r.reqPerCpuSec)),
    serverCpu: median(runs.map((r) => r.serverCpu)),
    loadgenCpu: median(runs.map((r) => r.loadgenCpu)),
    otherCpu: median(runs.map((r) => r.otherCpu)),
  };
}

/**
 * `opts.rounds` interleaved rounds over endpoints `{ label, path, headers, server: { port, pid } }`:
 * each endpoint once per round, the order reversed every other round so none always runs first;
 * then each endpoint's `load` is the median of its runs (`ep.runs` keeps them).
 */
export async function interleavedRounds(eps, opts, median) {
  for (let round = 1; round <= opts.rounds; round++) {
    console.log(
      `\nRound ${round}/${opts.rounds}: ${opts.warmup} s warmup + ${opts.duration} s each, ${opts.connections} connections`,
    );
    for (const ep of round % 2 ? eps : [...eps].reverse()) {
      const run = await measure(
        {
          url: `http://127.0.0.1:${ep.server.port}${ep.path}`,
          headers: ep.headers,
          idReplacement: ep.idReplacement,
        },
        opts,
        ep.server.pid,
      );
      (ep.runs ??= []).push(run);
      console.log(
        `  ${ep.label}: ${Math.round(run.reqPerSec)} req/s, p50 ${run.p50Ms.toFixed(2)} ms, ${run.non2xx} non-2xx`,
      );
    }
  }
  for (const ep of eps) ep.load = aggregateRuns(ep.runs, median);
}
