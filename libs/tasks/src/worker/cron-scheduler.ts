import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { DatabaseSessionScope, TransactionManager } from '@kwik/database';
import { TaskBackend } from '../backend/task-backend.js';
import type { ResolvedTasksOptions } from '../resolve-options.js';
import { TASKS_RESOLVED_OPTIONS } from '../tasks.constants.js';
import { TaskRegistry, type CronSchedule } from '../task-registry.js';

/** Longest single timer (setTimeout's limit is about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Tick records older than this are deleted as new ticks fire. */
const TICK_RETENTION = '7 days';

/**
 * Fires `@Cron()` schedules in processes that run workers. Each instance arms a timer for every
 * schedule's next tick; at the tick, one transaction records `(schedule, tick)` in
 * `kwik_cron_ticks` and — only if no other instance recorded it first — enqueues the tick's job.
 * A tick missed while no instance ran is not replayed.
 */
@Injectable()
export class CronScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('KwikTasks');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopping = false;

  constructor(
    @Inject(TASKS_RESOLVED_OPTIONS) private readonly options: ResolvedTasksOptions,
    private readonly registry: TaskRegistry,
    private readonly transactions: TransactionManager,
    private readonly backend: TaskBackend,
    private readonly sessionScope: DatabaseSessionScope,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.options.worker || !this.backend.schedulesCron) return;
    for (const schedule of this.registry.crons) this.arm(schedule, new Date());
  }

  beforeApplicationShutdown(): void {
    this.stopping = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private arm(schedule: CronSchedule, after: Date): void {
    if (this.stopping) return;
    const tick = schedule.next(after);
    if (!tick) return;
    const wait = tick.getTime() - Date.now();
    const timer = setTimeout(
      () => {
        if (wait > MAX_TIMER_MS) return this.arm(schedule, after);
        void this.fire(schedule, tick).finally(() => this.arm(schedule, tick));
      },
      Math.max(0, Math.min(wait, MAX_TIMER_MS)),
    );
    timer.unref();
    this.timers.set(schedule.name, timer);
  }

  /** Records the tick and enqueues its job, unless another instance did. */
  private async fire(schedule: CronSchedule, tick: Date): Promise<void> {
    const task = this.registry.get(schedule.task)!;
    try {
      // As the connecting user: a schedule belongs to no tenant.
      await this.sessionScope.runUnscoped(() =>
        this.transactions.run(async (manager) => {
          const claimed = (await manager.query(
            `INSERT INTO "kwik_cron_ticks" ("name", "tick") VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING "name"`,
            [schedule.name, tick],
          )) as unknown[];
          if (claimed.length === 0) return; // another instance fired this tick
          const { id } = await this.backend.enqueue(
            {
              queue: task.queue,
              name: task.name,
              payload: { tick: tick.toISOString() },
              priority: 0,
              runAt: null,
              delayMs: 0,
              maxAttempts: task.attempts,
              backoff: task.backoff,
              dedupKey: null,
              context: null,
            },
            manager,
          );
          await manager.query(`UPDATE "kwik_cron_ticks" SET "jobId" = $3 WHERE "name" = $1 AND "tick" = $2`, [
            schedule.name,
            tick,
            id,
          ]);
          await manager.query(
            `DELETE FROM "kwik_cron_ticks" WHERE "name" = $1 AND "tick" < now() - interval '${TICK_RETENTION}'`,
            [schedule.name],
          );
        }),
      );
    } catch (error) {
      if (!this.stopping)
        this.logger.error(
          `Cron "${schedule.name}" could not fire its ${tick.toISOString()} tick: ${String(error)}`,
        );
    }
  }
}
