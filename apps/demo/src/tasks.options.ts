import { KwikError } from '@kwik/core';
import type { TasksModuleOptions } from '@kwik/tasks';
import type { DemoConfig } from './config/demo-config.js';

/**
 * The demo's background tasks (DEMO.md): `KWIK_TASKS_DRIVER=postgres` (default; jobs in the demo's
 * own database, embedded PGlite included) or `bullmq` (BullMQ on `REDIS_URL`); one `default` queue
 * worked by every instance; the operations API at `/_kwik/tasks` for `tasks:manage` (the library's
 * default permission; the admin role has it through `*`).
 */
export function demoTasksOptions(config: DemoConfig): TasksModuleOptions {
  const queues = { default: { concurrency: 5 } };
  if (config.KWIK_TASKS_DRIVER !== 'bullmq') return { queues };
  if (!config.REDIS_URL)
    throw new KwikError(
      'KWIK_DEMO_TASKS_NEEDS_REDIS',
      'KWIK_TASKS_DRIVER=bullmq needs REDIS_URL (e.g. redis://127.0.0.1:6379): set it, or leave KWIK_TASKS_DRIVER unset for the PostgreSQL driver.',
    );
  return { queues, driver: 'bullmq', redis: config.REDIS_URL };
}
