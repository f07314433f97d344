#!/usr/bin/env node
// Background tasks benchmark (issue 8), in one run: N no-op jobs enqueued and processed by Kwik's
// PostgreSQL driver (bench/servers/tasks-kwik.mjs) and by pg-boss, its current release
// (bench/servers/tasks-pgboss.mjs), on the same database (kwik_bench_tasks), each runner a child
// process pinned to CPU 1, in interleaved rounds (the order reversed every other round); medians of
// jobs/s (first enqueue to last completion) and of enqueue latency p50 / p99.
// Usage: npm run bench:tasks [-- --quick] [-- --jobs N] [-- --rounds N] [-- --no-pin]
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDatabase } from './lib/kwik.mjs';
import { setupPinning } from './lib/proc.mjs';
import { fmt, median, printTargets, table, writeJson } from './lib/report.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS_FILE = join(ROOT, '.kwik', 'bench-tasks-results.json');
const DATABASE_URL = process.env.KWIK_BENCH_TASKS_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/kwik_bench_tasks';
const TARGET = 1.5;
const RUN_TIMEOUT_MS = 330_000;

const args = process.argv.slice(2);
if (args.includes('--help')) {
  console.log('Usage: node bench/tasks.mjs [--quick] [--jobs N] [--rounds N] [--no-pin]');
  process.exit(0);
}
const quick = args.includes('--quick');
const valueOf = (flag, fallback) => {
  const i = args.indexOf(flag);
  const n = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive whole number`);
  return n;
};
const jobs = valueOf('--jobs', quick ? 2000 : 20_000);
const rounds = valueOf('--rounds', quick ? 1 : 3);
const pinning = setupPinning(!args.includes('--no-pin'));

const RUNNERS = {
  kwik: { label: 'Kwik, PostgreSQL driver', script: 'bench/servers/tasks-kwik.mjs' },
  pgboss: { label: 'pg-boss', script: 'bench/servers/tasks-pgboss.mjs' },
};

function runOnce(name) {
  const { script } = RUNNERS[name];
  const command = pinning.pinned ? ['taskset', ['-c', String(pinning.serverCpu), 'node', script]] : ['node', [script]];
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], command[1], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL, JOBS: String(jobs), NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err = (err + d).slice(-2000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').at(-1) ?? '';
      try {
        const result = JSON.parse(line);
        if (result.jobs !== jobs) return reject(new Error(`${name}: ${result.jobs} of ${jobs} jobs completed`));
        resolve(result);
      } catch {
        reject(new Error(`${name} exited ${code} without a result: ${err.slice(-500)}`));
      }
    });
  });
}

await ensureDatabase(DATABASE_URL);
console.log(`Tasks benchmark: ${jobs.toLocaleString('en-US')} no-op jobs, ${rounds} interleaved round(s), ${pinning.pinned ? 'runners pinned to CPU 1' : `not pinned (${pinning.reason})`}`);
const runs = { kwik: [], pgboss: [] };
for (let round = 1; round <= rounds; round++) {
  const order = round % 2 ? ['kwik', 'pgboss'] : ['pgboss', 'kwik'];
  for (const name of order) {
    const r = await runOnce(name);
    runs[name].push(r);
    console.log(`  round ${round}, ${RUNNERS[name].label}: ${fmt(r.jobsPerSec)} jobs/s, enqueue p99 ${fmt(r.enqueueP99Ms, 1)} ms`);
  }
}
const summary = Object.fromEntries(
  Object.entries(runs).map(([name, list]) => [
    name,
    {
      jobsPerSec: median(list.map((r) => r.jobsPerSec)),
      enqueueP50Ms: median(list.map((r) => r.enqueueP50Ms)),
      enqueueP99Ms: median(list.map((r) => r.enqueueP99Ms)),
      runs: list,
    },
  ]),
);
const ratio = summary.kwik.jobsPerSec / summary.pgboss.jobsPerSec;
console.log(`\n${jobs.toLocaleString('en-US')} no-op jobs, enqueue and process (medians of ${rounds} round(s))\n`);
console.log(
  table(
    ['runner', 'jobs/s', 'runs', 'vs pg-boss', 'enqueue p50 ms', 'enqueue p99 ms'],
    Object.entries(summary).map(([name, s]) => [
      RUNNERS[name].label,
      fmt(s.jobsPerSec),
      s.runs.map((r) => fmt(r.jobsPerSec)).join(' / '),
      name === 'kwik' ? `${fmt(ratio, 2)}x` : '1.00x',
      fmt(s.enqueueP50Ms, 1),
      fmt(s.enqueueP99Ms, 1),
    ]),
  ),
);
console.log(
  '\nBoth runners: 32 concurrent enqueuers, a pool of 20 connections, the same database. Kwik: 50 jobs at once,\n' +
    'LISTEN/NOTIFY wake-ups. pg-boss: batches of 100, 5 local workers, its shortest polling interval (0.5 s).',
);
const targets = [
  {
    name: 'Kwik PostgreSQL driver vs pg-boss, jobs/s',
    figure: `${fmt(ratio, 2)}x`,
    target: `>= ${TARGET}x`,
    status: ratio >= TARGET ? 'PASS' : 'MISS',
  },
  { name: 'Kwik enqueue latency p99 (32 concurrent enqueuers)', figure: `${fmt(summary.kwik.enqueueP99Ms, 1)} ms`, target: 'reported', status: '-' },
];
printTargets(targets);
writeJson(RESULTS_FILE, { date: new Date().toISOString(), jobs, rounds, pinning, summary, ratio, targets });
console.log(`\nResults written to ${RESULTS_FILE}`);
