import { SetMetadata } from '@nestjs/common';
import { BACKGROUND_TASK_METADATA } from '../tasks.constants.js';
import type { EnqueueOptions } from '../task-queue.js';

/** Options of `@BackgroundTask()`: where and how its jobs run. */
export type BackgroundTaskOptions = Pick<
  EnqueueOptions,
  'queue' | 'attempts' | 'backoff' | 'priority' | 'delay'
> & {
  /** The task name. @default `background:<Class>.<method>` */
  name?: string;
};

/**
 * Turns calls of a provider method into jobs: calling it enqueues a job with its arguments (which
 * must be JSON) and resolves with `{ id, deduplicated }` at once; a worker later runs the original
 * method with those arguments, with the caller's request context restored. Inside
 * `TransactionManager.run()` the job is part of the transaction.
 *
 * @example
 * @Injectable() class Reports {
 *   @BackgroundTask({ queue: 'reports' })
 *   async rebuild(tenantId: string): Promise<void> { … }   // callers: await reports.rebuild(id) → enqueued
 * }
 */
export function BackgroundTask(options: BackgroundTaskOptions = {}): MethodDecorator {
  return SetMetadata(BACKGROUND_TASK_METADATA, options);
}
