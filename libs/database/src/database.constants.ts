/** Token of the TypeORM options prepared from the resolved `DatabaseModule` options (internal). */
export const DATABASE_DATA_SOURCE_OPTIONS = Symbol.for('kwik:database:dataSourceOptions');

/** Token of the resolved, frozen `DatabaseModule` options. */
export const DATABASE_RESOLVED_OPTIONS = Symbol.for('kwik:database:resolvedOptions');

/** Name of the readiness check the module registers with core's `ReadinessRegistry`. */
export const DATABASE_READINESS_CHECK = 'database';

/** Token of the options passed to `DatabaseModule.forRoot()` / produced by `forRootAsync()`. */
export const DATABASE_MODULE_OPTIONS = Symbol.for('kwik:database:moduleOptions');
