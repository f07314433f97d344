import { KwikError } from '@kwik/core';

/** Error codes of `@kwik/tasks` (docs/errors.md). */
export const TasksErrorCode = {
  /** `TasksModule.forRoot()` options are invalid. */
  InvalidOptions: 'KWIK_TASKS_INVALID_OPTIONS',
  /** Two `@Task()` handlers share a name, or a name is malformed. */
  InvalidTask: 'KWIK_TASKS_INVALID_TASK',
  /** `enqueue()` names a task no `@Task()` handler of this app declares. */
  UnknownTask: 'KWIK_TASKS_UNKNOWN_TASK',
  /** `enqueue()` options are invalid (runAt in the past is allowed; a negative delay is not). */
  InvalidEnqueue: 'KWIK_TASKS_INVALID_ENQUEUE',
  /** A table of the driver is missing (`kwik_jobs`, `kwik_task_outbox`): the `TASKS_MIGRATIONS` have not run. */
  SchemaMissing: 'KWIK_TASKS_SCHEMA_MISSING',
  /** The `bullmq` driver could not reach Redis at boot. */
  RedisUnavailable: 'KWIK_TASKS_REDIS_UNAVAILABLE',
} as const;

export class TasksError extends KwikError {}
