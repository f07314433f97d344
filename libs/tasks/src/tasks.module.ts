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
    TasksAdminGuard,
  ],
  exports: [TaskQueue, TaskWorker, TaskRegistry],
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
