import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { resolveTasksOptions } from './resolve-options.js';
import { TaskQueue } from './task-queue.js';
import { TaskRegistry } from './task-registry.js';
import { TASKS_MODULE_OPTIONS, TASKS_RESOLVED_OPTIONS } from './tasks.constants.js';
import { TasksConfigurableModule } from './tasks.module-definition.js';
import type { TasksModuleOptions } from './tasks-options.interface.js';
import { TaskWorker } from './worker/task-worker.js';
import { CronScheduler } from './worker/cron-scheduler.js';

/**
 * Background tasks on the app's PostgreSQL database: `@Task()` handlers, `TaskQueue.enqueue()`
 * (transactional inside `TransactionManager.run()`), and workers in this process. Needs
 * `DatabaseModule` and the `TasksSchema1796000000000` migration.
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
    CronScheduler,
  ],
  exports: [TaskQueue, TaskWorker, TaskRegistry],
})
export class TasksModule extends TasksConfigurableModule {}
