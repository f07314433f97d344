#!/usr/bin/env node
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lastValueFrom } from 'rxjs';
import { logging } from '@angular-devkit/core';
import { NodeWorkflow } from '@angular-devkit/schematics/tools/index.js';

const USAGE = `Usage: kwik g <schematic> <name> [fields...] [options]

  kwik g kwik-resource product name:string price:decimal stock:int:index sku:string:unique --project demo
  kwik g kr product ...                (kr: kwik-resource's alias)
  kwik g module billing                (any @nestjs/schematics schematic)
  kwik new my-app                      (the application schematic)

Options: --project, -p <name>   the nest-cli.json project (its sourceRoot)
         --auth, --no-auth, --tenant-scoped, --no-tenant-scoped, --cache, --route <path>
         --dry-run, -d            show what would change, write nothing
         --force                  overwrite files that exist
         --skip-import            do not register the module, entity and migration
         --no-spec                no specs and no factory

Fields: name:type[:modifier...]; types string text int decimal number boolean date datetime uuid;
modifiers optional index unique.`;

type Value = string | boolean | number | string[];

const camel = (s: string): string => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** `--no-auth` → auth: false, `--project x` / `-p x` / `--route=x` → strings, kebab → camel. */
export function parseArgs(argv: readonly string[]): {
  positionals: string[];
  options: Record<string, Value>;
} {
  const positionals: string[] = [];
  const options: Record<string, Value> = {};
  const valued = new Set(['project', 'route', 'path', 'timestamp', 'packageManager', 'directory']);
  const short: Record<string, string> = { p: 'project', d: 'dryRun', f: 'force' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith('--')) {
      const [rawKey, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
      if (rawKey.startsWith('no-') && inline === undefined) {
        options[camel(rawKey.slice(3))] = false;
        continue;
      }
      const key = camel(rawKey);
      if (inline !== undefined) options[key] = inline;
      else if (valued.has(key)) options[key] = argv[++i] ?? '';
      else options[key] = true;
    } else if (/^-[a-z]$/.test(arg)) {
      const key = short[arg[1]!];
      if (!key) throw new Error(`Unknown option ${arg}`);
      options[key] = key === 'project' ? (argv[++i] ?? '') : true;
    } else positionals.push(arg);
  }
  if (typeof options.timestamp === 'string') options.timestamp = Number(options.timestamp);
  return { positionals, options };
}

/** The project's source root from nest-cli.json (`projects[p].sourceRoot`, else `sourceRoot`, else `src`). */
function sourceRootOf(cwd: string, project: string | undefined): string {
  const path = join(cwd, 'nest-cli.json');
  const config = existsSync(path)
    ? (JSON.parse(readFileSync(path, 'utf8')) as {
        sourceRoot?: string;
        projects?: Record<string, { sourceRoot?: string }>;
      })
    : {};
  if (project !== undefined) {
    const found = config.projects?.[project]?.sourceRoot;
    if (!found)
      throw new Error(
        `No project "${project}" in nest-cli.json (projects: ${Object.keys(config.projects ?? {}).join(', ') || 'none'}).`,
      );
    return found;
  }
  return config.sourceRoot ?? 'src';
}

export async function main(argv: readonly string[], cwd = process.cwd()): Promise<number> {
  const { positionals, options } = parseArgs(argv);
  const [command, ...rest] = positionals;
  if (!command || options.help || !['g', 'generate', 'new', 'n'].includes(command)) {
    console.log(USAGE);
    return command && !options.help ? 1 : 0;
  }
  let schematic: string;
  let schematicOptions: Record<string, unknown>;
  const dryRun = options.dryRun === true;
  const force = options.force === true;
  delete options.dryRun;
  delete options.force;
  if (command === 'new' || command === 'n') {
    schematic = 'application';
    schematicOptions = { name: rest[0], ...options };
  } else {
    const [given, name, ...fields] = rest;
    if (!given) throw new Error('kwik g: which schematic? (kwik g kwik-resource product name:string)');
    schematic = given;
    const project = typeof options.project === 'string' ? options.project : undefined;
    schematicOptions = { ...options, name, sourceRoot: sourceRootOf(cwd, project) };
    // `kr` is the collection's alias of kwik-resource: the same fields and flags.
    if (schematic === 'kwik-resource' || schematic === 'kr')
      schematicOptions = { ...schematicOptions, fields, force };
    else if (fields.length > 0) schematicOptions.path = fields[0];
  }
  const workflow = new NodeWorkflow(cwd, {
    force,
    dryRun,
    resolvePaths: [cwd, dirname(fileURLToPath(import.meta.url))],
    schemaValidation: true,
    packageManager: 'npm',
  });
  let failed = false;
  workflow.reporter.subscribe((event) => {
    const path = event.path.replace(/^\//, '');
    if (event.kind === 'error') {
      failed = true;
      console.error(`ERROR ${path}: ${event.description === 'alreadyExist' ? 'exists' : 'does not exist'}`);
    } else if (event.kind === 'create') console.log(`CREATE ${path} (${event.content.byteLength} bytes)`);
    else if (event.kind === 'update') console.log(`UPDATE ${path} (${event.content.byteLength} bytes)`);
    else if (event.kind === 'delete') console.log(`DELETE ${path}`);
    else if (event.kind === 'rename') console.log(`RENAME ${path} => ${event.to}`);
  });
  const logger = new logging.Logger('kwik');
  logger.subscribe((entry) => {
    const line =
      entry.level === 'warn'
        ? `WARN ${entry.message}`
        : entry.level === 'error' || entry.level === 'fatal'
          ? `ERROR ${entry.message}`
          : entry.message;
    if (entry.level !== 'debug') (entry.level === 'info' ? console.log : console.error)(line);
  });
  try {
    await lastValueFrom(
      workflow.execute({
        collection: '@kwik/schematics',
        schematic,
        options: schematicOptions,
        allowPrivate: false,
        debug: false,
        logger,
      }),
      { defaultValue: undefined },
    );
  } catch (error) {
    console.error(`ERROR ${(error as Error).message}`);
    return 1;
  }
  if (dryRun) console.log('Dry run: nothing was written.');
  return failed ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === realpathSync(process.argv[1]))
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(`ERROR ${error.message}`);
      process.exit(1);
    },
  );
