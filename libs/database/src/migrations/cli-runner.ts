import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DatabaseModuleOptions } from '../database-options.interface.js';
import { DatabaseError, DatabaseErrorCode } from '../database.errors.js';
import { createDataSource } from '../data-source.factory.js';
import { generateMigration, revertLastMigration, runMigrations } from './migrations.js';

/**
 * What a `--data-source` module exports: `default` (or `dataSourceOptions`) — the `DatabaseModule`
 * options or a function returning them — and optionally `migrationsDir`, where `generate` writes.
 */
export interface DataSourceModule {
  default?: DataSourceOptionsExport;
  dataSourceOptions?: DataSourceOptionsExport;
  migrationsDir?: string;
}

/** Options, or a (possibly async) factory of them, as a data-source module exports them. */
export type DataSourceOptionsExport =
  DatabaseModuleOptions | (() => DatabaseModuleOptions | Promise<DatabaseModuleOptions>);

/** Where the CLI writes its lines (the console by default). */
export interface CliOutput {
  log(line: string): void;
  error(line: string): void;
}

/** Parsed command line. */
export interface CliArgs {
  command: 'generate' | 'run' | 'revert';
  dataSource: string;
  name?: string;
  dir?: string;
}

export const CLI_USAGE = `Usage: node libs/database/dist/cli.js <generate|run|revert> --data-source <module.js> [--name <name>] [--dir <dir>]
  generate  write a migration from the difference between the entities and the database (--name required)
  run       run every pending migration
  revert    revert the last executed migration
  --data-source  compiled module exporting DatabaseModule options (default export, or a function returning them)
  --dir          where generate writes (default: the module's exported migrationsDir)`;

function usage(problem: string): DatabaseError {
  return new DatabaseError(DatabaseErrorCode.CliUsage, `${problem}\n${CLI_USAGE}`);
}

/** Parses `<command> --data-source X [--name N] [--dir D]` (also `--flag=value`). */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  const [command, ...rest] = argv;
  if (command !== 'generate' && command !== 'run' && command !== 'revert') {
    throw usage(command ? `Unknown command '${command}'.` : 'No command given.');
  }
  const flags: Record<string, string> = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const match = /^--(data-source|name|dir)(?:=(.*))?$/.exec(arg);
    if (!match) throw usage(`Unknown argument '${arg}'.`);
    const value = match[2] ?? rest[++i];
    if (value === undefined || value === '') throw usage(`--${match[1]} needs a value.`);
    flags[match[1]!] = value;
  }
  if (!flags['data-source']) throw usage('--data-source is required.');
  if (command === 'generate' && !flags.name)
    throw usage('generate needs --name, such as --name create-posts.');
  return { command, dataSource: flags['data-source'], name: flags.name, dir: flags.dir };
}

/** Imports a data-source module and returns its options (factory called) and `migrationsDir`. */
export async function loadDataSourceModule(
  path: string,
): Promise<{ options: DatabaseModuleOptions; migrationsDir?: string }> {
  const url = pathToFileURL(resolve(path)).href;
  let mod: DataSourceModule;
  try {
    mod = (await import(url)) as DataSourceModule;
  } catch (cause) {
    throw new DatabaseError(
      DatabaseErrorCode.CliUsage,
      `Could not import the data-source module ${url} (${cause instanceof Error ? cause.message : String(cause)}). Pass the compiled .js file (build first).`,
      { cause },
    );
  }
  const exported = mod.default ?? mod.dataSourceOptions;
  const options = typeof exported === 'function' ? await exported() : exported;
  if (options === null || typeof options !== 'object') {
    throw usage(
      `${path} must export DatabaseModule options as its default export (or 'dataSourceOptions'), or a function returning them.`,
    );
  }
  return { options, ...(mod.migrationsDir ? { migrationsDir: mod.migrationsDir } : {}) };
}

async function execute(args: CliArgs, out: CliOutput): Promise<void> {
  const { options, migrationsDir } = await loadDataSourceModule(args.dataSource);
  const dir = args.dir ?? migrationsDir;
  if (args.command === 'generate' && !dir) {
    throw usage(`generate needs --dir, or a 'migrationsDir' export in ${args.dataSource}.`);
  }
  const dataSource = await createDataSource({
    ...options,
    synchronize: false,
    migrationsRun: false,
    logging: ['error', 'warn'],
  });
  try {
    if (args.command === 'generate') {
      const file = await generateMigration(dataSource, { name: args.name!, dir: dir! });
      out.log(
        `Generated ${file.className} (${file.statements} statement${file.statements === 1 ? '' : 's'}): ${file.path}`,
      );
    } else if (args.command === 'run') {
      const ran = await runMigrations(dataSource);
      out.log(ran.length ? `Ran ${ran.length} migration(s): ${ran.join(', ')}` : 'No pending migrations.');
    } else {
      const reverted = await revertLastMigration(dataSource);
      out.log(reverted ? `Reverted ${reverted}` : 'No executed migration to revert.');
    }
  } finally {
    await dataSource.destroy();
  }
}

/**
 * The migrations CLI as a function: returns the process exit code (0 ok, 1 failure) instead of
 * exiting, so it can be tested and embedded in scripts.
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2));
 */
export async function runCli(argv: readonly string[], out: CliOutput = console): Promise<number> {
  try {
    await execute(parseCliArgs(argv), out);
    return 0;
  } catch (error) {
    out.error(
      error instanceof DatabaseError
        ? error.message
        : error instanceof Error
          ? (error.stack ?? error.message)
          : String(error),
    );
    return 1;
  }
}
