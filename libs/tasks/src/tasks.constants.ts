/** Injection token of the options given to `TasksModule.forRoot()`. */
export const TASKS_MODULE_OPTIONS = Symbol('kwik:tasks:options');
/** Injection token of the validated, defaulted options. */
export const TASKS_RESOLVED_OPTIONS = Symbol('kwik:tasks:resolved');
/** Metadata key of `@Task()`. */
export const TASK_METADATA = 'kwik:tasks:task';
/** The channel of LISTEN/NOTIFY wake-ups (the payload is the queue name). */
export const TASKS_CHANNEL = 'kwik_jobs';
/** Metadata key of `@Cron()`. */
export const CRON_METADATA = 'kwik:tasks:cron';
/** Metadata key of `@BackgroundTask()`. */
export const BACKGROUND_TASK_METADATA = 'kwik:tasks:background';
