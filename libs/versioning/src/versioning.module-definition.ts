import { ConfigurableModuleBuilder } from '@nestjs/common';
import { VERSIONING_MODULE_OPTIONS } from './versioning.constants.js';
import type { VersioningModuleOptions } from './versioning-options.interface.js';

export const {
  ConfigurableModuleClass: VersioningConfigurableModule,
  OPTIONS_TYPE: VERSIONING_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: VERSIONING_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<VersioningModuleOptions>({
  moduleName: 'Versioning',
  optionsInjectionToken: VERSIONING_MODULE_OPTIONS,
})
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createVersioningOptions')
  .setExtras({ isGlobal: true }, (definition, extras: { isGlobal?: boolean }) => ({
    ...definition,
    global: extras.isGlobal ?? true,
  }))
  .build();
