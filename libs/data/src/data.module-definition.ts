import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { DataModuleOptions } from './data-options.interface.js';
import { DATA_MODULE_OPTIONS } from './data.constants.js';

/** Static extras of `DataModule.forRoot()` / `forRootAsync()`. */
export interface DataModuleExtras {
  /** Register globally, so `@Shape()` and `ShapedLists` work in every module. @default true */
  isGlobal?: boolean;
}

export const {
  ConfigurableModuleClass: DataConfigurableModule,
  OPTIONS_TYPE: DATA_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: DATA_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<DataModuleOptions>({
  moduleName: 'Data',
  optionsInjectionToken: DATA_MODULE_OPTIONS,
})
  .setClassMethodName('forRoot')
  .setExtras<DataModuleExtras>({ isGlobal: true }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal ?? true,
  }))
  .build();
