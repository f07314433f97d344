import { Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule, RouterModule } from '@nestjs/core';
import { TasksAdminController } from './http/tasks-admin.controller.js';
import { TasksAdminGuard } from './http/tasks-admin.guard.js';
import { resolveTasksOptions } from './resolve-options.js';
import { TaskQueue } from './task-queue.js';
import { TaskRegistry } from './task-registry.js';
import { TASKS_MODULE_OPTIONS, TASKS_RESOLVED_OPTIONS } from './tasks.constants.js';
import {
  TasksConfigurableModule,
  type TASKS_ASYNC_OPTIONS_TYPE,
  type TASKS_OPTIONS_TYPE,
} from './tasks.module-definition.js';
import type { TasksModuleOptions } from './tasks-options.interface.js';
import { TaskWorker } from './worker/task-worker.js';
import { JobRunner } from './worker/job-runner.js';
import { TaskBackend } from './backend/task-backend.js';
import { PostgresTaskBackend } from './postgres/postgres-backend.js';
import { BullmqTaskBackend } from './bullmq/bullmq-backend.js';
import type { ResolvedTasksOptions } from './resolve-options.js';
import { CronScheduler } from './worker/cron-scheduler.js';

/**
 * Background tasks: `@Task()` handlers, `TaskQueue.enqueue()` (transactional inside
 * `TransactionManager.run()`), `@Cron()`, `@BackgroundTask()`, and workers in this process, on the
 * app's PostgreSQL database (`driver: 'postgres'`, the default) or on BullMQ (`driver: 'bullmq'`,
 * Redis). Needs `DatabaseModule` and the `TASKS_MIGRATIONS`.
 *
 * @example
 * @Module({ imports: [KwikModule.forRoot(), DatabaseModule.forRoot({ migrations: [TasksSchema1796000000000] }),
 *   TasksModule.forRoot({ queues: { default: { concurrency: 10 } } })] })
 * export class AppModule {}
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    {
      provide: TASKS_RESOLVED_OPTIONS,
      inject: [TASKS_MODULE_OPTIONS],
      useFactory: (options: TasksModuleOptions) => resolveTasksOptions(options ?? {}),
    },
    TaskRegistry,
    TaskQueue,
    TaskWorker,
    JobRunner,
    PostgresTaskBackend,
    BullmqTaskBackend,
    {
      provide: TaskBackend,
      inject: [TASKS_RESOLVED_OPTIONS, PostgresTaskBackend, BullmqTaskBackend],
      useFactory: (
        options: ResolvedTasksOptions,
        postgres: PostgresTaskBackend,
        bullmq: BullmqTaskBackend,
      ) => (options.driver === 'bullmq' ? bullmq : postgres),
    },
    CronScheduler,
    TasksAdminGuard,
  ],
  exports: [TaskQueue, TaskWorker, TaskRegistry, TaskBackend],
})
export class TasksModule extends TasksConfigurableModule {
  static override forRoot(options: typeof TASKS_OPTIONS_TYPE = {}): DynamicModule {
    return withAdmin(super.forRoot(options), options.adminPath);
  }

  static override forRootAsync(options: typeof TASKS_ASYNC_OPTIONS_TYPE): DynamicModule {
    return withAdmin(super.forRootAsync(options), options.adminPath);
  }
}

/** Mounts the operations API under `path` (RouterModule prefixes this module's routes). */
function withAdmin(module: DynamicModule, path: string | false | undefined): DynamicModule {
  if (path === false) return module;
  return {
    ...module,
    controllers: [...(module.controllers ?? []), TasksAdminController],
    imports: [
      ...(module.imports ?? []),
      RouterModule.register([{ path: path ?? '_kwik/tasks', module: TasksModule }]),
    ],
  };
}
