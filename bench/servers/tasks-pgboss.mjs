// Tasks benchmark runner (issue 8), pg-boss (its current release) on the same database: send N
// no-op jobs (C concurrent senders) while this process works them; prints one JSON line like
// tasks-kwik.mjs. pg-boss is tuned for throughput: fetches of BATCH jobs, LOCAL workers, its
// shortest polling interval (0.5 s). Env: DATABASE_URL, JOBS, ENQUEUERS, BATCH, LOCAL.
import { PgBoss } from 'pg-boss';

const JOBS = Number(process.env.JOBS ?? 20000);
const ENQUEUERS = Number(process.env.ENQUEUERS ?? 32);
const BATCH = Number(process.env.BATCH ?? 100);
const LOCAL = Number(process.env.LOCAL ?? 5);

const boss = new PgBoss({ connectionString: process.env.DATABASE_URL, schema: 'pgboss', max: 20 });
boss.on('error', (e) => console.error(`pg-boss: ${e.message}`));
await boss.start();
await boss.deleteQueue('bench-noop').catch(() => undefined);
await boss.createQueue('bench-noop');
let done = 0;
await boss.work('bench-noop', { batchSize: BATCH, localConcurrency: LOCAL, pollingIntervalSeconds: 0.5 }, async (jobs) => {
  done += jobs.length;
});
const latencies = [];
let next = 0;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: ENQUEUERS }, async () => {
    while (next < JOBS) {
      next++;
      const s = performance.now();
      await boss.send('bench-noop', { n: next });
      latencies.push(performance.now() - s);
    }
  }),
);
const deadline = Date.now() + 300_000;
const finished = () => done >= JOBS || Date.now() >= deadline; // `done` grows in the work handler
while (!finished()) await new Promise((r) => setTimeout(r, 5));
const ms = performance.now() - t0;
latencies.sort((a, b) => a - b);
const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
console.log(JSON.stringify({ jobs: done, ms, jobsPerSec: (done / ms) * 1000, enqueueP50Ms: q(0.5), enqueueP99Ms: q(0.99) }));
await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
process.exit(0);
