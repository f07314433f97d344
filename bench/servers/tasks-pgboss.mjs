// Tasks benchmark runner (issue 8), pg-boss (its current release) on the same database: send N
// no-op jobs (C concurrent senders) while this process works them; prints one JSON line like
// tasks-kwik.mjs. pg-boss is tuned for throughput with everything its release offers: LISTEN/NOTIFY
// wake-ups (`useListenNotify`, a `notify` queue), fetches of BATCH jobs, LOCAL workers, burst mode
// while batches come back full, its shortest polling interval (0.5 s).
// Env: DATABASE_URL, JOBS, ENQUEUERS, BATCH, LOCAL.
import { PgBoss } from 'pg-boss';
import { enqueueAndDrain } from '../lib/tasks-load.mjs';

const JOBS = Number(process.env.JOBS ?? 20000);
const ENQUEUERS = Number(process.env.ENQUEUERS ?? 32);
const BATCH = Number(process.env.BATCH ?? 100);
const LOCAL = Number(process.env.LOCAL ?? 5);

const boss = new PgBoss({
  connectionString: process.env.DATABASE_URL,
  schema: 'pgboss',
  max: 20,
  useListenNotify: process.env.PGBOSS_NOTIFY === '1',
});
boss.on('error', (e) => console.error(`pg-boss: ${e.message}`));
await boss.start();
await boss.deleteQueue('bench-noop').catch(() => undefined);
await boss.createQueue('bench-noop', { notify: process.env.PGBOSS_NOTIFY === '1' });
let done = 0;
await boss.work(
  'bench-noop',
  {
    batchSize: BATCH,
    localConcurrency: LOCAL,
    pollingIntervalSeconds: 0.5,
    notifyPollingIntervalSeconds: 0.5,
    burstWhenBatchFull: true,
  },
  async (jobs) => {
    done += jobs.length;
  },
);
const result = await enqueueAndDrain({
  jobs: JOBS,
  enqueuers: ENQUEUERS,
  enqueue: (n) => boss.send('bench-noop', { n }),
  completed: () => done,
});
console.log(JSON.stringify(result));
await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
process.exit(0);
