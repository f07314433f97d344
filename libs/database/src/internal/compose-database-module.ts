import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule, type TypeOrmModuleOptions } from '@nestjs/typeorm';
import type { DataSourceOptions } from 'typeorm';
import type { DatabaseModuleOptions } from '../database-options.interface.js';
import { resolveDatabaseOptions, type ResolvedDatabaseOptions } from '../database-options.resolve.js';
import {
  DATABASE_DATA_SOURCE_OPTIONS,
  DATABASE_MODULE_OPTIONS,
  DATABASE_RESOLVED_OPTIONS,
} from '../database.constants.js';
import { prepareDataSourceOptions } from '../data-source.factory.js';
import { DatabaseSessionScope } from '../database-session-scope.js';
import { KwikDataSource, type OwningDataSourceOptions } from '../kwik-data-source.js';
import { SqlObserver } from '../sql-observer.js';
import { TransactionManager } from '../transaction.manager.js';
import { DatabaseReadiness } from './database-readiness.js';
import { TransactionScope } from './transaction-scope.js';
import { isUnreachable } from './connect-failure.js';

/** Holds the options and the providers the TypeORM options factory needs (it can only see imported modules). */
@Module({})
class DatabaseHostModule {}

function typeOrmModuleOptions(
  resolved: ResolvedDatabaseOptions,
  prepared: OwningDataSourceOptions,
): TypeOrmModuleOptions {
  return {
    ...prepared,
    autoLoadEntities: resolved.autoLoadEntities,
    retryAttempts: resolved.retryAttempts,
    retryDelay: resolved.retryDelayMs,
    toRetry: (error: unknown) => resolved.retryAttempts > 0 && isUnreachable(error),
  };
}

/**
 * Turns the definition `ConfigurableModuleBuilder` produced (options providers and the async
 * `imports`) into the database module: a host module with the options, the observer, the
 * transaction scope and the session scope, `TypeOrmModule.forRootAsync` reading from it, and the public services.
 */
export function composeDatabaseModule(definition: DynamicModule, global: boolean): DynamicModule {
  const host: DynamicModule = {
    module: DatabaseHostModule,
    imports: definition.imports ?? [],
    providers: [
      ...(definition.providers ?? []),
      SqlObserver,
      TransactionScope,
      DatabaseSessionScope,
      {
        provide: DATABASE_RESOLVED_OPTIONS,
        useFactory: (options: DatabaseModuleOptions) => resolveDatabaseOptions(options),
        inject: [DATABASE_MODULE_OPTIONS],
      },
      {
        provide: DATABASE_DATA_SOURCE_OPTIONS,
        useFactory: (
          resolved: ResolvedDatabaseOptions,
          observer: SqlObserver,
          scope: TransactionScope,
          sessionScope: DatabaseSessionScope,
        ) => prepareDataSourceOptions(resolved, { observer, scope, sessionScope }),
        inject: [DATABASE_RESOLVED_OPTIONS, SqlObserver, TransactionScope, DatabaseSessionScope],
      },
    ],
    exports: [
      SqlObserver,
      TransactionScope,
      DatabaseSessionScope,
      DATABASE_RESOLVED_OPTIONS,
      DATABASE_DATA_SOURCE_OPTIONS,
    ],
  };
  const typeorm = TypeOrmModule.forRootAsync({
    imports: [host],
    inject: [DATABASE_RESOLVED_OPTIONS, DATABASE_DATA_SOURCE_OPTIONS],
    useFactory: typeOrmModuleOptions,
    // Kwik initialises the data source itself so a failed start also closes the embedded engine.
    dataSourceFactory: (options?: DataSourceOptions) =>
      new KwikDataSource(options as OwningDataSourceOptions).initializeOrRelease(),
  });
  return {
    ...definition,
    global,
    imports: [host, typeorm],
    providers: [TransactionManager, DatabaseReadiness],
    exports: [host, TransactionManager],
  };
}
