import { ConfigurableModuleBuilder } from '@nestjs/common';
import { TASKS_MODULE_OPTIONS } from './tasks.constants.js';
import type { TasksModuleOptions } from './tasks-options.interface.js';

/** Static extras of `TasksModule.forRoot()` / `forRootAsync()`. */
export interface TasksModuleExtras {
  /** Register globally (`TaskQueue` injectable everywhere). @default true */
  isGlobal?: boolean;
  /** Where the operations API is mounted; `false` for none. @default '_kwik/tasks' */
  adminPath?: string | false;
}

export const {
  ConfigurableModuleClass: TasksConfigurableModule,
  OPTIONS_TYPE: TASKS_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: TASKS_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<TasksModuleOptions>({
  moduleName: 'Tasks',
  optionsInjectionToken: TASKS_MODULE_OPTIONS,
})
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createTasksOptions')
  .setExtras<TasksModuleExtras>({ isGlobal: true, adminPath: '_kwik/tasks' }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal ?? true,
  }))
  .build();
