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
  /** The `kwik_jobs` table is missing: the `TasksSchema` migration has not run. */
  SchemaMissing: 'KWIK_TASKS_SCHEMA_MISSING',
} as const;

export class TasksError extends KwikError {}
