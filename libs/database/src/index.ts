export { DatabaseModule } from './database.module.js';
export {
  DATABASE_ASYNC_OPTIONS_TYPE,
  DATABASE_OPTIONS_TYPE,
  type DatabaseModuleExtras,
} from './database.module-definition.js';
export type {
  DatabaseLogging,
  DatabaseModuleOptions,
  DatabasePoolOptions,
  EmbeddedDatabaseOptions,
  PostgresDataSourceOptions,
} from './database-options.interface.js';
export {
  DEFAULT_EMBEDDED_DATA_DIR,
  resolveDatabaseOptions,
  type ResolvedDatabaseOptions,
} from './database-options.resolve.js';
export {
  DATABASE_MODULE_OPTIONS,
  DATABASE_READINESS_CHECK,
  DATABASE_RESOLVED_OPTIONS,
} from './database.constants.js';
export { DatabaseError, DatabaseErrorCode, type DatabaseErrorCodeValue } from './database.errors.js';

export { createDataSource, type DataSourceHooks } from './data-source.factory.js';
export { KwikDataSource } from './kwik-data-source.js';
export { KwikBaseEntity } from './kwik-base.entity.js';
export {
  TransactionManager,
  type TransactionIsolation,
  type TransactionOptions,
} from './transaction.manager.js';
export { SqlObserver, type SqlListener, type SqlStatementEvent } from './sql-observer.js';
export {
  DatabaseSessionScope,
  type DatabaseSessionProvider,
  type DatabaseSessionSettings,
} from './database-session-scope.js';

export {
  generateMigration,
  revertLastMigration,
  runMigrations,
  type GenerateMigrationOptions,
  type GeneratedMigration,
} from './migrations/migrations.js';
export {
  renderMigrationFile,
  type MigrationFile,
  type MigrationFileInput,
  type MigrationStatement,
} from './migrations/migration-file.js';
export {
  loadDataSourceModule,
  parseCliArgs,
  runCli,
  type CliArgs,
  type CliOutput,
  type DataSourceModule,
  type DataSourceOptionsExport,
} from './migrations/cli-runner.js';
