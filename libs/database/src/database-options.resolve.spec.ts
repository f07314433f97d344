import { describe, expect, it } from 'vitest';
import { DatabaseErrorCode } from './database.errors.js';
import { resolveDatabaseOptions } from './database-options.resolve.js';

describe('resolveDatabaseOptions', () => {
  it('defaults to the embedded database in .kwik/pglite under the working directory', () => {
    expect(resolveDatabaseOptions({}, '/srv/app')).toEqual({
      mode: 'embedded',
      url: undefined,
      pool: {
        max: 10,
        idleTimeoutMillis: 10_000,
        connectionTimeoutMillis: 5_000,
        statementTimeoutMs: undefined,
      },
      dataDir: '/srv/app/.kwik/pglite',
      entities: [],
      autoLoadEntities: true,
      migrations: [],
      migrationsRun: false,
      migrationsTableName: 'kwik_migrations',
      synchronize: false,
      logging: ['warn', 'migration'],
      applicationName: 'kwik',
      retryAttempts: 0,
      retryDelayMs: 1_000,
      typeorm: {},
    });
  });

  it.each([
    [{ dataDir: 'data/db' }, '/srv/app/data/db'],
    [{ dataDir: '/var/lib/kwik' }, '/var/lib/kwik'],
    [{ inMemory: true, dataDir: 'ignored' }, undefined],
  ])('resolves embedded %j to data directory %s', (embedded, dataDir) => {
    expect(resolveDatabaseOptions({ embedded }, '/srv/app').dataDir).toBe(dataDir);
  });

  it.each(['postgres://u:p@db:5432/app', 'postgresql://localhost/app?sslmode=require'])(
    'uses the server for url %s, retrying 5 times',
    (url) => {
      expect(resolveDatabaseOptions({ url, embedded: { inMemory: true } })).toMatchObject({
        mode: 'server',
        url,
        retryAttempts: 5,
      });
    },
  );

  it.each([
    ['mysql://root@localhost/app', "got 'mysql://root@localhost/app'"],
    ['', 'got an empty string'],
    ['postgres://', "got 'postgres://'"],
    ['postgres://admin:hunter2@ db/app', "got 'postgres://admin:***@ db/app'"],
  ])('rejects url %j with a fix-it message that hides the password', (url, shown) => {
    expect(() => resolveDatabaseOptions({ url })).toThrow(
      expect.objectContaining({
        code: DatabaseErrorCode.InvalidUrl,
        message: expect.stringContaining(shown),
      }),
    );
    expect(() => resolveDatabaseOptions({ url })).toThrow(/Leave it unset to use the embedded database/);
  });

  it.each([
    [{ pool: { max: 0 } }, 'pool.max'],
    [{ pool: { max: 2.5 } }, 'pool.max'],
    [{ pool: { idleTimeoutMillis: -1 } }, 'pool.idleTimeoutMillis'],
    [{ pool: { connectionTimeoutMillis: Number.NaN } }, 'pool.connectionTimeoutMillis'],
    [{ pool: { statementTimeoutMs: -5 } }, 'pool.statementTimeoutMs'],
    [{ url: 'postgres://db/app', retryAttempts: -1 }, 'retryAttempts'],
    [{ retryDelayMs: 0.5 }, 'retryDelayMs'],
    [{ migrationsTableName: 'drop table; --' }, 'migrationsTableName'],
  ])('rejects %j naming the option %s', (options, name) => {
    expect(() => resolveDatabaseOptions(options)).toThrow(
      expect.objectContaining({
        code: DatabaseErrorCode.InvalidOptions,
        message: expect.stringContaining(`\`${name}\``),
      }),
    );
  });

  it('accepts a schema-qualified migrations table and freezes the result', () => {
    const resolved = resolveDatabaseOptions({
      migrationsTableName: 'ops.migrations',
      pool: { statementTimeoutMs: 0 },
    });
    expect(resolved).toMatchObject({
      migrationsTableName: 'ops.migrations',
      pool: { statementTimeoutMs: 0 },
    });
    expect(Object.isFrozen(resolved)).toBe(true);
    expect(Object.isFrozen(resolved.pool)).toBe(true);
  });
});
