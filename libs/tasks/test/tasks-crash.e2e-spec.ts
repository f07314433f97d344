import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import { TransactionManager } from '@kwik/database';
import type { TasksModuleOptions } from '@kwik/tasks';
import { createTestDatabase, type TestDatabase } from '../../../test/support/postgres.js';
import { REDIS_URL, bullmqOptions, dropPrefix, startTasksApp, until } from './fixtures/tasks-app.js';

const WORKER = fileURLToPath(new URL('./fixtures/chaos-worker.mjs', import.meta.url));
const JOBS = 10_000;
const KILLS = 5;

/** Starts a worker process and resolves once it works the queue. */
function startWorker(url: string, options: TasksModuleOptions & { prefix?: string }): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const driver =
      options.driver === 'bullmq' ? { TASKS_DRIVER: 'bullmq', REDIS_URL, TASKS_PREFIX: options.prefix } : {};
    const child = fork(WORKER, [], {
      env: { ...process.env, DATABASE_URL: url, ...driver },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(
      () => reject(new Error(`worker did not start in 30 s: ${stderr.slice(-500)}`)),
      30_000,
    );
    child.once('message', () => {
      clearTimeout(timer);
      resolve(child);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`worker exited before it was ready (${code ?? signal}): ${stderr.slice(-500)}`));
    });
  });
}

const BACKOFF = '{"type":"fixed","delayMs":10,"maxDelayMs":10,"jitter":false}';
const DRIVERS: [string, TasksModuleOptions & { prefix?: string }][] = [
  ['postgres', {}],
  ['bullmq', bullmqOptions('crash')],
];

describe.each(DRIVERS)('tasks on %s: worker processes killed with SIGKILL', (driver, options) => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase(`tasks_crash_${driver}`);
    app = await startTasksApp(db.url, { ...options, worker: false }); // migrates; enqueues nothing itself
    const manager = app.get(TransactionManager).manager;
    await manager.query(`CREATE TABLE "chaos_runs" ("key" integer NOT NULL)`);
    await manager.query(`CREATE TABLE "chaos_effects" ("key" integer PRIMARY KEY)`);
  });
  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    await app?.close();
    await db?.drop();
    if (options.prefix) await dropPrefix(options.prefix);
  });

  it(`completes all ${JOBS.toLocaleString('en-US')} jobs exactly once while workers are killed ${KILLS} times`, async () => {
    const manager = app.get(TransactionManager).manager;
    workers.push(await startWorker(db.url, options), await startWorker(db.url, options));
    if (driver === 'postgres') {
      await manager.query(
        `INSERT INTO "kwik_jobs" ("queue", "name", "payload", "maxAttempts", "backoff")
         SELECT 'default', 'chaos.effect', jsonb_build_object('key', g), 20, '${BACKOFF}'
           FROM generate_series(1, ${JOBS}) g`,
      );
      await manager.query(`NOTIFY kwik_jobs, 'default'`);
    } else {
      // Committed outbox rows: the workers' relays move them to Redis while they are being killed.
      await manager.query(
        `INSERT INTO "kwik_task_outbox" ("queue", "name", "data", "options")
         SELECT 'default', 'chaos.effect',
                jsonb_build_object('payload', jsonb_build_object('key', g), 'context', null, 'backoff', '${BACKOFF}'::jsonb),
                jsonb_build_object('attempts', 20, 'backoff', '{"type":"kwik"}'::jsonb, 'runAtMs', 0)
           FROM generate_series(1, ${JOBS}) g`,
      );
    }
    let kills = 0;
    for (let i = 0; i < KILLS; i++) {
      await new Promise((r) => setTimeout(r, 300 + Math.floor(Math.random() * 900)));
      const live = workers.filter((w) => w.exitCode === null && w.signalCode === null);
      const victim = live[Math.floor(Math.random() * live.length)]!;
      victim.kill('SIGKILL');
      kills++;
      workers.push(await startWorker(db.url, options));
    }
    expect(kills).toBe(KILLS);
    const count = async (sql: string) => ((await manager.query(sql)) as { n: number }[])[0]!.n;
    const queue = new Queue('default', { connection: { url: REDIS_URL }, prefix: options.prefix });
    /** Completed jobs, jobs in any other state, and outbox rows not relayed. */
    const progress = async () => {
      const outbox = await count(`SELECT count(*)::int AS "n" FROM "kwik_task_outbox"`);
      if (driver === 'postgres')
        return {
          completed: await count(`SELECT count(*)::int AS "n" FROM "kwik_jobs" WHERE "state" = 'completed'`),
          other: await count(`SELECT count(*)::int AS "n" FROM "kwik_jobs" WHERE "state" <> 'completed'`),
          outbox,
        };
      const { completed, ...rest } = await queue.getJobCounts(
        'completed',
        'waiting',
        'active',
        'delayed',
        'failed',
        'prioritized',
      );
      return { completed, other: Object.values(rest).reduce((a, b) => a + b, 0), outbox };
    };
    try {
      await until(async () => (await progress()).completed === JOBS, `all ${JOBS} jobs completed`, 120_000);
      expect(await progress()).toEqual({ completed: JOBS, other: 0, outbox: 0 });
    } finally {
      await queue.close();
    }
    expect(await count(`SELECT count(*)::int AS "n" FROM "chaos_effects"`)).toBe(JOBS);
    // At least once: every job ran; some ran again after their worker died mid-batch.
    expect(await count(`SELECT count(DISTINCT "key")::int AS "n" FROM "chaos_runs"`)).toBe(JOBS);
    expect(await count(`SELECT count(*)::int AS "n" FROM "chaos_runs"`)).toBeGreaterThanOrEqual(JOBS);
  }, 180_000);
});
