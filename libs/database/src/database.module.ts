import { Module, type DynamicModule } from '@nestjs/common';
import {
  DATABASE_ASYNC_OPTIONS_TYPE,
  DATABASE_OPTIONS_TYPE,
  DatabaseConfigurableModule,
} from './database.module-definition.js';

/**
 * TypeORM on PostgreSQL (`url` set) or on the embedded PGlite engine (no `url`), with the Kwik base
 * entity, migrations, ambient transactions (`TransactionManager`), a hook that observes every SQL
 * statement (`SqlObserver`) and the per-statement session scope (`DatabaseSessionScope`).
 * `DataSource`, `EntityManager` and `TypeOrmModule.forFeature()` repositories inject as usual.
 *
 * @example
 * @Module({
 *   imports: [
 *     KwikModule.forRoot(),
 *     DatabaseModule.forRootAsync({
 *       inject: [KwikConfig],
 *       useFactory: (config: KwikConfig) => ({ url: config.DATABASE_URL, migrations: [Init1700000000000], migrationsRun: true }),
 *     }),
 *     TypeOrmModule.forFeature([Post]),
 *   ],
 * })
 * export class AppModule {}
 */
@Module({})
export class DatabaseModule extends DatabaseConfigurableModule {
  static override forRoot(options: typeof DATABASE_OPTIONS_TYPE = {}): DynamicModule {
    return super.forRoot(options);
  }

  static override forRootAsync(options: typeof DATABASE_ASYNC_OPTIONS_TYPE): DynamicModule {
    return super.forRootAsync(options);
  }
}
