// Tasks benchmark runner (issue 8), Kwik's PostgreSQL driver: enqueue N no-op jobs through
// TaskQueue.enqueue (C concurrent enqueuers) while this process's workers (concurrency W) run them;
// prints one JSON line: { jobs, ms, jobsPerSec, enqueueP50Ms, enqueueP99Ms }.
// Env: DATABASE_URL, JOBS, ENQUEUERS, CONCURRENCY.
import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { KwikModule } from '@kwik/core';
import { DatabaseModule, TransactionManager } from '@kwik/database';
import { enqueueAndDrain } from '../lib/tasks-load.mjs';
import { Task, TaskQueue, TasksModule, TasksSchema1796000000000, TaskWorker } from '@kwik/tasks';

const JOBS = Number(process.env.JOBS ?? 20000);
const ENQUEUERS = Number(process.env.ENQUEUERS ?? 32);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 50);

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
      migrations: [TasksSchema1796000000000],
      migrationsRun: true,
      logging: false,
      pool: { max: 20 },
    }),
    TasksModule.forRoot({ queues: { default: { concurrency: CONCURRENCY } }, adminPath: false }),
  ],
  providers: [Noop],
})(BenchTasks);

process.env.LOG_LEVEL = 'silent';
const app = await NestFactory.createApplicationContext(BenchTasks, { logger: false });
await app.init();
const manager = app.get(TransactionManager).manager;
await manager.query(`DELETE FROM "kwik_jobs"`);
const queue = app.get(TaskQueue);
const worker = app.get(TaskWorker);
const before = worker.stats.completed;
const result = await enqueueAndDrain({
  jobs: JOBS,
  enqueuers: ENQUEUERS,
  enqueue: (n) => queue.enqueue('bench.noop', { n }),
  completed: () => worker.stats.completed - before,
});
console.log(JSON.stringify(result));
await app.close();
