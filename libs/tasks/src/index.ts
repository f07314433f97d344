export { TasksModule } from './tasks.module.js';
export type {
  BackoffOptions,
  BullmqRedisOptions,
  QueueOptions,
  TasksModuleOptions,
} from './tasks-options.interface.js';
export { TASKS_MODULE_OPTIONS, TASKS_CHANNEL } from './tasks.constants.js';
export { TasksError, TasksErrorCode } from './tasks.errors.js';
export { Task, type TaskOptions, type TaskMetadata } from './decorators/task.decorator.js';
export { Cron, type CronOptions, type CronMetadata, type CronTick } from './decorators/cron.decorator.js';
export { CronScheduler } from './worker/cron-scheduler.js';
export { BackgroundTask, type BackgroundTaskOptions } from './decorators/background-task.decorator.js';
export { TaskQueue, type EnqueueOptions, type EnqueuedJob } from './task-queue.js';
export { TaskRegistry, type TaskHandler, type CronSchedule } from './task-registry.js';
export { TaskWorker, type TaskWorkerStats } from './worker/task-worker.js';
export { TasksSchema1796000000000 } from './postgres/tasks-schema.migration.js';
export { TasksOutbox1796100000000 } from './bullmq/tasks-outbox.migration.js';
export { TASKS_MIGRATIONS } from './tasks-migrations.js';
export { TaskBackend, type QueueCounts, type WorkerInfo } from './backend/task-backend.js';
export { PostgresTaskBackend } from './postgres/postgres-backend.js';
export { BullmqTaskBackend } from './bullmq/bullmq-backend.js';
export { JobRunner, PermanentFailure, type RunnableJob } from './worker/job-runner.js';
export { JobStore, type JobRow, type NewJob, type Queryable } from './postgres/job-store.js';
export { backoffDelay, DEFAULT_BACKOFF, type ResolvedBackoff } from './backoff.js';
export { resolveTasksOptions, type ResolvedTasksOptions } from './resolve-options.js';
export { FakeTaskBackend, type FakeJobMatch } from './testing/fake-task-backend.js';
