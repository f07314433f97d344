import { SetMetadata } from '@nestjs/common';
import { CRON_METADATA } from '../tasks.constants.js';

/** Options of `@Cron()`. */
export interface CronOptions {
  /** IANA time zone the expression is read in (`Europe/Paris`). @default the process's (usually UTC) */
  timezone?: string;
  /** The schedule's name (its task is `cron:<name>`). @default `<Class>.<method>` */
  name?: string;
  /** The queue its jobs go to. @default 'default' */
  queue?: string;
  /** Attempts of each tick's job. @default the module's `attempts` */
  attempts?: number;
}

/** What `@Cron()` stores on a method. */
export interface CronMetadata extends CronOptions {
  readonly expression: string;
}

/**
 * Runs a provider method on a schedule (5 fields, or 6 with seconds first). Every instance of the
 * app schedules it, but each tick fires once across all of them: the first to record the tick in
 * `kwik_cron_ticks` enqueues its job, in the same transaction. The method gets `{ tick }` (the
 * tick's ISO instant) and runs as a job: retried, dead-lettered, visible like any other.
 *
 * @example
 * @Cron('0 3 * * *', { timezone: 'Europe/Paris' })
 * archiveOldDrafts({ tick }: CronTick) { … }
 */
export function Cron(expression: string, options: CronOptions = {}): MethodDecorator {
  return SetMetadata(CRON_METADATA, { ...options, expression } satisfies CronMetadata);
}

/** The payload of a cron job. */
export interface CronTick {
  /** The scheduled instant, ISO 8601. */
  readonly tick: string;
}
