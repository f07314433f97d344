import { ConfigurableModuleBuilder } from '@nestjs/common';
import { TASKS_MODULE_OPTIONS } from './tasks.constants.js';
import type { TasksModuleOptions } from './tasks-options.interface.js';

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
  .setExtras({ isGlobal: true }, (definition, extras: { isGlobal?: boolean }) => ({
    ...definition,
    global: extras.isGlobal ?? true,
  }))
  .build();
