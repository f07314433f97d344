import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { DatabaseModuleOptions } from './database-options.interface.js';
import { DATABASE_MODULE_OPTIONS } from './database.constants.js';
import { composeDatabaseModule } from './internal/compose-database-module.js';

/** Static extras of `DatabaseModule.forRoot()` / `forRootAsync()`. */
export interface DatabaseModuleExtras {
  /** Register the module globally, so `TransactionManager`, `SqlObserver` and `DatabaseSessionScope` inject anywhere. @default true */
  isGlobal?: boolean;
}

export const {
  ConfigurableModuleClass: DatabaseConfigurableModule,
  OPTIONS_TYPE: DATABASE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: DATABASE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<DatabaseModuleOptions>({
  moduleName: 'Database',
  optionsInjectionToken: DATABASE_MODULE_OPTIONS,
})
  .setClassMethodName('forRoot')
  .setExtras<DatabaseModuleExtras>({ isGlobal: true }, (definition, extras) =>
    composeDatabaseModule(definition, extras.isGlobal ?? true),
  )
  .build();
