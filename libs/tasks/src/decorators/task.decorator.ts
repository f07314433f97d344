import { SetMetadata, type Type } from '@nestjs/common';
import { TASK_METADATA } from '../tasks.constants.js';
import type { BackoffOptions } from '../tasks-options.interface.js';

/** Options of `@Task()`. */
export interface TaskOptions {
  /** The queue its jobs go to. @default 'default' */
  queue?: string;
  /** Attempts before the job is dead-lettered. @default the module's `attempts` (5) */
  attempts?: number;
  /** Backoff between attempts. @default the module's `backoff` */
  backoff?: BackoffOptions;
  /**
   * A class-validator DTO the payload is validated against (and turned into) before the handler
   * runs; an invalid payload fails the job at once, without retries. @default the method's first
   * parameter type when it is a class, else no validation
   */
  payload?: Type<object>;
}

/** What `@Task()` stores on a method. */
export interface TaskMetadata extends TaskOptions {
  readonly name: string;
}

/**
 * Makes a provider method the handler of the task `name`: `TaskQueue.enqueue(name, payload)` puts
 * a job on its queue, and a worker calls the method with the (validated) payload, with the request
 * context of the enqueue restored. What it returns is stored as the job's result.
 *
 * @example
 * @Injectable() class WelcomeMail {
 *   @Task('mail.welcome', { attempts: 3 })
 *   async send(payload: WelcomePayload) { … }
 * }
 */
export function Task(name: string, options: TaskOptions = {}): MethodDecorator {
  return SetMetadata(TASK_METADATA, { ...options, name } satisfies TaskMetadata);
}
