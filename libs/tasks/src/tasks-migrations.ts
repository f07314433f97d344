import { TasksOutbox1796100000000 } from './bullmq/tasks-outbox.migration.js';
import { TasksSchema1796000000000 } from './postgres/tasks-schema.migration.js';

/**
 * Every migration of `@kwik/tasks`, in order: `kwik_jobs` and `kwik_cron_ticks` (both drivers use
 * the cron ticks), then the BullMQ driver's outbox. Put them in your app's migrations.
 */
export const TASKS_MIGRATIONS = [TasksSchema1796000000000, TasksOutbox1796100000000] as const;
