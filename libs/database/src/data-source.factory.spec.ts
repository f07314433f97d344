import { DefaultNamingStrategy } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { toTypeOrmOptions } from './data-source.factory.js';
import { resolveDatabaseOptions } from './database-options.resolve.js';
import { NestTypeOrmLogger } from './internal/nest-typeorm.logger.js';

describe('toTypeOrmOptions', () => {
  it('maps server options to a pg pool with the pool settings', () => {
    const resolved = resolveDatabaseOptions({
      url: 'postgres://db/app',
      pool: {
        max: 20,
        idleTimeoutMillis: 30_000,
        connectionTimeoutMillis: 2_000,
        statementTimeoutMs: 15_000,
      },
      migrationsRun: true,
      applicationName: 'shop',
    });
    const options = toTypeOrmOptions(resolved);
    expect(options).toMatchObject({
      type: 'postgres',
      url: 'postgres://db/app',
      applicationName: 'shop',
      poolSize: 20,
      connectTimeoutMS: 2_000,
      migrationsRun: true,
      migrationsTableName: 'kwik_migrations',
      synchronize: false,
      uuidExtension: 'pgcrypto',
      extra: { idleTimeoutMillis: 30_000, connectionTimeoutMillis: 2_000, statement_timeout: 15_000 },
    });
    expect(options).not.toHaveProperty('installExtensions');
    expect(options.logger).toBeInstanceOf(NestTypeOrmLogger);
  });

  it('maps embedded options to one connection that never idles out, without url or extensions', () => {
    const options = toTypeOrmOptions(resolveDatabaseOptions({ pool: { max: 20, statementTimeoutMs: 100 } }), {
      extra: { connection: 'pglite' },
    });
    expect(options).toMatchObject({ type: 'postgres', poolSize: 1, installExtensions: false });
    expect(options.extra).toEqual({
      idleTimeoutMillis: 0,
      connectionTimeoutMillis: 5_000,
      connection: 'pglite',
    });
    expect(options).not.toHaveProperty('url');
  });

  it('lets the typeorm escape hatch override mapped options but not the wiring', () => {
    const namingStrategy = new DefaultNamingStrategy();
    const options = toTypeOrmOptions(
      resolveDatabaseOptions({
        url: 'postgres://db/app',
        typeorm: { namingStrategy, uuidExtension: 'uuid-ossp', type: 'mysql', poolSize: 99 } as never,
      }),
      { driver: 'pg-module' },
    );
    expect(options).toMatchObject({
      namingStrategy,
      uuidExtension: 'uuid-ossp',
      type: 'postgres',
      poolSize: 10,
      driver: 'pg-module',
    });
  });
});
