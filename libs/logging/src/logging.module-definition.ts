import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { LoggingModuleOptions } from './logging-options.interface.js';

export const {
  ConfigurableModuleClass: LoggingConfigurableModule,
  MODULE_OPTIONS_TOKEN: LOGGING_MODULE_OPTIONS,
} = new ConfigurableModuleBuilder<LoggingModuleOptions>({ moduleName: 'KwikLogging' })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
