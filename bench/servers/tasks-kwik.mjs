// Tasks benchmark runner (issue 8), Kwik's PostgreSQL or BullMQ driver: enqueue N no-op jobs
// through TaskQueue.enqueue (C concurrent enqueuers) while this process's workers (concurrency W)
// run them; prints one JSON line: { jobs, ms, jobsPerSec, enqueueP50Ms, enqueueP99Ms }.
// Env: DATABASE_URL, JOBS, ENQUEUERS, CONCURRENCY, TASKS_DRIVER (postgres | bullmq), REDIS_URL.
import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { KwikModule } from '@kwik/core';
import { DatabaseModule, TransactionManager } from '@kwik/database';
import { enqueueAndDrain } from '../lib/tasks-load.mjs';
import { Task, TaskBackend, TaskQueue, TasksModule, TASKS_MIGRATIONS } from '@kwik/tasks';
import { dropQueue } from '../lib/tasks-load.mjs';

const JOBS = Number(process.env.JOBS ?? 20000);
const ENQUEUERS = Number(process.env.ENQUEUERS ?? 32);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 50);
const BULLMQ = process.env.TASKS_DRIVER === 'bullmq';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = 'kwik-bench';

class Noop {
  run() {}
}
Injectable()(Noop);
const d = Object.getOwnPropertyDescriptor(Noop.prototype, 'run');
Object.defineProperty(Noop.prototype, 'run', Task('bench.noop')(Noop.prototype, 'run', d) ?? d);

class BenchTasks {}
Module({
  imports: [
    KwikModule.forRoot({ docs: false }),
    DatabaseModule.forRoot({
      url: process.env.DATABASE_URL,
      migrations: [...TASKS_MIGRATIONS],
      migrationsRun: true,
      logging: false,
      pool: { max: 20 },
    }),
    TasksModule.forRoot({
      queues: { default: { concurrency: CONCURRENCY } },
      adminPath: false,
      ...(BULLMQ ? { driver: 'bullmq', redis: REDIS_URL, prefix: PREFIX } : {}),
    }),
  ],
  providers: [Noop],
})(BenchTasks);

process.env.LOG_LEVEL = 'silent';
if (BULLMQ) await dropQueue(REDIS_URL, PREFIX, 'default');
const app = await NestFactory.createApplicationContext(BenchTasks, {
  logger: process.env.BENCH_DEBUG ? undefined : false,
  abortOnError: false,
});
await app.init();
const manager = app.get(TransactionManager).manager;
await manager.query(`DELETE FROM "kwik_jobs"`);
const queue = app.get(TaskQueue);
const backend = app.get(TaskBackend);
const before = backend.worker.stats.completed;
const result = await enqueueAndDrain({
  jobs: JOBS,
  enqueuers: ENQUEUERS,
  enqueue: (n) => queue.enqueue('bench.noop', { n }),
  completed: () => backend.worker.stats.completed - before,
});
console.log(JSON.stringify(result));
await app.close();
