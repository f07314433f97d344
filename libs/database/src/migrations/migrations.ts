import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { MigrationExecutor, type DataSource } from 'typeorm';
import { DatabaseError, DatabaseErrorCode } from '../database.errors.js';
import { renderMigrationFile } from './migration-file.js';

/** Options of {@link generateMigration}. */
export interface GenerateMigrationOptions {
  /** Migration name such as `create-posts`. */
  name: string;
  /** Directory the file is written to (created when missing), resolved from `process.cwd()`. */
  dir: string;
  /** Timestamp of the migration. @default Date.now() */
  timestamp?: number;
}

/** What {@link generateMigration} wrote. */
export interface GeneratedMigration {
  /** Absolute path of the new file. */
  path: string;
  className: string;
  /** Number of statements in `up()`. */
  statements: number;
}

function requireInitialized(dataSource: DataSource, action: string): void {
  if (!dataSource.isInitialized) {
    throw new DatabaseError(
      DatabaseErrorCode.CliUsage,
      `${action} needs an initialised data source: call \`await dataSource.initialize()\` first.`,
    );
  }
}

/**
 * Runs every pending migration, all in one transaction. Returns the names of those it ran, in order.
 *
 * @example
 * const ran = await runMigrations(dataSource); // ['CreateNotes1700000000000']
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  requireInitialized(dataSource, 'runMigrations()');
  const executed = await dataSource.runMigrations({ transaction: 'all' });
  return executed.map((m) => m.name);
}

/**
 * Reverts the most recently executed migration. Returns its name, or `undefined` when none had run.
 *
 * @example
 * await revertLastMigration(dataSource); // 'CreateNotes1700000000000'
 */
export async function revertLastMigration(dataSource: DataSource): Promise<string | undefined> {
  requireInitialized(dataSource, 'revertLastMigration()');
  const executor = new MigrationExecutor(dataSource);
  const before = await executor.getExecutedMigrations();
  await dataSource.undoLastMigration({ transaction: 'all' });
  const after = new Set((await executor.getExecutedMigrations()).map((m) => m.name));
  return before.find((m) => !after.has(m.name))?.name;
}

/**
 * Compares the data source's entities with its database (TypeORM's schema builder, as
 * `typeorm migration:generate` does) and writes a migration class with `up()` and `down()`.
 * Throws `KWIK_DATABASE_NO_SCHEMA_CHANGES` when the database already matches. Give it a data source
 * initialised without `synchronize` or `migrationsRun` (the CLI does).
 *
 * @example
 * await generateMigration(dataSource, { name: 'create-notes', dir: 'apps/demo/src/migrations' });
 */
export async function generateMigration(
  dataSource: DataSource,
  options: GenerateMigrationOptions,
): Promise<GeneratedMigration> {
  requireInitialized(dataSource, 'generateMigration()');
  const sql = await dataSource.driver.createSchemaBuilder().log();
  if (sql.upQueries.length === 0) {
    throw new DatabaseError(
      DatabaseErrorCode.NoSchemaChanges,
      'The database already matches the entities: there is no migration to generate. Change an entity first, or check that the data source lists the entities you changed.',
    );
  }
  const file = renderMigrationFile({
    name: options.name,
    timestamp: options.timestamp ?? Date.now(),
    up: sql.upQueries,
    down: [...sql.downQueries].reverse(),
  });
  const dir = resolve(options.dir);
  await mkdir(dir, { recursive: true });
  const path = join(dir, file.fileName);
  // 'wx': never overwrite a migration someone already owns.
  await writeFile(path, file.content, { flag: 'wx' });
  return { path, className: file.className, statements: sql.upQueries.length };
}
