// Tasks benchmark runner (issue 8), Kwik's PostgreSQL driver: enqueue N no-op jobs through
// TaskQueue.enqueue (C concurrent enqueuers) while this process's workers (concurrency W) run them;
// prints one JSON line: { jobs, ms, jobsPerSec, enqueueP50Ms, enqueueP99Ms }.
// Env: DATABASE_URL, JOBS, ENQUEUERS, CONCURRENCY.
import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { KwikModule } from '@kwik/core';
import { DatabaseModule } from '@kwik/database';
import { Task, TaskQueue, TasksModule, TasksSchema1796000000000, TaskWorker } from '@kwik/tasks';
import { TransactionManager } from '@kwik/database';

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
const latencies = [];
let next = 0;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: ENQUEUERS }, async () => {
    while (next < JOBS) {
      next++;
      const s = performance.now();
      await queue.enqueue('bench.noop', { n: next });
      latencies.push(performance.now() - s);
    }
  }),
);
const deadline = Date.now() + 300_000;
while (worker.stats.completed - before < JOBS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
const ms = performance.now() - t0;
latencies.sort((a, b) => a - b);
const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
console.log(
  JSON.stringify({ jobs: worker.stats.completed - before, ms, jobsPerSec: ((worker.stats.completed - before) / ms) * 1000, enqueueP50Ms: q(0.5), enqueueP99Ms: q(0.99) }),
);
await app.close();
