// Tasks benchmark runner (issue 8), raw BullMQ (the version Kwik's driver uses) on the same Redis:
// add N no-op jobs (C concurrent producers) while a Worker of concurrency W in this process runs
// them; prints one JSON line like tasks-kwik.mjs. Plain BullMQ defaults (no job options), one
// ioredis connection for the queue and one for the worker, as Kwik's driver has.
// Env: REDIS_URL, JOBS, ENQUEUERS, CONCURRENCY.
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { dropQueue, enqueueAndDrain } from '../lib/tasks-load.mjs';

const JOBS = Number(process.env.JOBS ?? 20000);
const ENQUEUERS = Number(process.env.ENQUEUERS ?? 32);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 50);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = 'bullmq-bench';
// With SAME_OPTIONS=1, each job carries what Kwik's driver gives every job (attempts, a backoff, a
// job id of its own): the same work for BullMQ, to tell its cost from Kwik's own.
const SAME_OPTIONS = process.env.SAME_OPTIONS === '1';
const ID_PREFIX = Math.random().toString(16).slice(2, 14).padEnd(12, '0');
const sameOptions = (n) => ({
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  jobId: ID_PREFIX + n.toString(16).padStart(12, '0'),
});

await dropQueue(REDIS_URL, PREFIX, 'bench-noop');
const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: 3 });
const workerConnection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
const queue = new Queue('bench-noop', { connection, prefix: PREFIX });
let done = 0;
const worker = new Worker('bench-noop', async () => {}, {
  connection: workerConnection,
  prefix: PREFIX,
  concurrency: CONCURRENCY,
});
worker.on('completed', () => done++);
await worker.waitUntilReady();
// With ALS=1, an AsyncLocalStorage is active, as in any Kwik app (its request context): on Node 20
// every promise then pays the async-hooks propagation.
const als = process.env.ALS === '1' ? new (await import('node:async_hooks')).AsyncLocalStorage() : undefined;
const load = () =>
  enqueueAndDrain({
    jobs: JOBS,
    enqueuers: ENQUEUERS,
    enqueue: (n) => (SAME_OPTIONS ? queue.add('noop', { n }, sameOptions(n)) : queue.add('noop', { n })),
    completed: () => done,
  });
const result = als ? await als.run({}, load) : await load();
console.log(JSON.stringify(result));
await worker.close();
await queue.close();
connection.disconnect();
workerConnection.disconnect();
process.exit(0);
