import { readFileSync } from 'node:fs';
import { join, normalize, strings, type Path } from '@angular-devkit/core';
import { SchematicsException, type Rule, type SchematicContext, type Tree } from '@angular-devkit/schematics';
import { normalizeToKebabOrSnakeCase } from '@nestjs/schematics';
import {
  appConfigSpecTs,
  appConfigTs,
  appE2eSpecTs,
  appModuleTs,
  dataSourceTs,
  databaseOptionsTs,
  entitiesIndexTs,
  envExample,
  gitignore,
  mainTs,
  migrationsIndexTs,
  nestCliJson,
  packageJson,
  PACKAGE_MANAGERS,
  prettierrc,
  readme,
  runScript,
  tsconfigBuildJson,
  tsconfigJson,
  USERS_MIGRATION,
  userEntityTs,
  usersMigrationTs,
  vitestConfig,
  type AppModel,
  type PackageManager,
} from './files.js';

/** Options of `application` (`schemas/application.json`): what `nest new` and `kwik new` pass. */
export interface ApplicationOptions {
  name: string | number;
  directory?: string;
  author?: string;
  description?: string;
  version?: string;
  strict?: boolean;
  type?: string;
  language?: string;
  packageManager?: string;
  spec?: boolean;
  specFileSuffix?: string;
  format?: boolean;
  observe?: boolean;
  skipGit?: boolean;
  skipInstall?: boolean;
  collection?: string;
  dependencies?: string;
  devDependencies?: string;
  kwikVersion?: string;
  [other: string]: unknown;
}

/** The version of this @kwik/schematics, which the @kwik libraries share. */
function ownVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** The Nest CLI sends the string `"undefined"` for options it did not get. */
const given = (value: string | undefined): string | undefined =>
  value === undefined || value === '' || value === 'undefined' ? undefined : value;

const NPM_NAME = /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

/** Checks and defaults the options; returns the templates' model and the target directory. */
export function resolveApplication(options: ApplicationOptions): { model: AppModel; directory: string } {
  const rawName = String(options.name ?? '').trim();
  if (!rawName)
    throw new SchematicsException('application needs a name: nest new my-app -c @kwik/schematics');
  const name = normalizeToKebabOrSnakeCase(rawName);
  if (!NPM_NAME.test(name) || name.length > 214)
    throw new SchematicsException(
      `"${rawName}" cannot name a package: lower-case letters, digits, "-", "." and "_" (my-app, @acme/shop).`,
    );
  const language = given(options.language)?.toLowerCase();
  if (language !== undefined && !['ts', 'typescript'].includes(language))
    throw new SchematicsException(
      `Kwik applications are TypeScript; --language ${options.language} is not supported.`,
    );
  if (options.type !== undefined && options.type !== 'esm')
    throw new SchematicsException(
      `Kwik applications are ES modules; --type ${options.type} is not supported.`,
    );
  const pm = given(options.packageManager) ?? 'npm';
  if (!(PACKAGE_MANAGERS as readonly string[]).includes(pm))
    throw new SchematicsException(`--package-manager ${pm} is not one of ${PACKAGE_MANAGERS.join(', ')}.`);
  const specFileSuffix = normalizeToKebabOrSnakeCase(given(options.specFileSuffix) ?? 'spec');
  if (!/^[a-z0-9][a-z0-9-_]*$/.test(specFileSuffix) || specFileSuffix === 'e2e-spec')
    throw new SchematicsException(`--spec-file-suffix ${options.specFileSuffix} is not a file suffix.`);
  const baseName = name.replace(/^@[^/]+\//, '');
  const directory = given(options.directory) ?? name;
  return {
    directory,
    model: {
      name,
      title: strings
        .dasherize(baseName)
        .split(/[-_.]+/)
        .filter(Boolean)
        .map((word) => strings.capitalize(word))
        .join(' '),
      version: given(options.version) ?? '0.0.1',
      description: options.description ?? '',
      author: options.author ?? '',
      kwikVersion: given(options.kwikVersion) ?? ownVersion(),
      strict: options.strict !== false,
      spec: options.spec !== false,
      specFileSuffix,
      packageManager: pm as PackageManager,
    },
  };
}

/** Every file of the application, by its path in the application's directory. */
export function applicationFiles(model: AppModel): Map<string, string> {
  const files = new Map<string, string>([
    ['package.json', packageJson(model)],
    ['tsconfig.json', tsconfigJson(model)],
    ['tsconfig.build.json', tsconfigBuildJson(model)],
    ['vitest.config.ts', vitestConfig(model)],
    ['nest-cli.json', nestCliJson()],
    ['.gitignore', gitignore()],
    ['.prettierrc', prettierrc()],
    ['.env.example', envExample()],
    ['README.md', readme(model)],
    ['src/main.ts', mainTs()],
    ['src/app.module.ts', appModuleTs(model)],
    ['src/config/app.config.ts', appConfigTs()],
    ['src/database.options.ts', databaseOptionsTs(model)],
    ['src/data-source.ts', dataSourceTs()],
    ['src/users/user.entity.ts', userEntityTs()],
    ['src/entities/index.ts', entitiesIndexTs()],
    ['src/migrations/index.ts', migrationsIndexTs()],
    [`src/migrations/${USERS_MIGRATION.file}.ts`, usersMigrationTs()],
  ]);
  if (model.spec) {
    files.set(`src/config/app.config.${model.specFileSuffix}.ts`, appConfigSpecTs());
    files.set('test/app.e2e-spec.ts', appE2eSpecTs());
  }
  return files;
}

/**
 * `nest new my-app -c @kwik/schematics` (or `kwik new my-app`): a Kwik application in `my-app/` —
 * KwikModule on Fastify, logging, PostgreSQL (embedded PGlite without DATABASE_URL) with migrations
 * run at boot, shaped data, sign-in with roles, Vitest with an e2e spec on a real database, and
 * nest-cli.json pointing at @kwik/schematics for `nest g kwik-resource`. Installs nothing itself.
 */
export function application(options: ApplicationOptions): Rule {
  return (tree: Tree, context: SchematicContext) => {
    const { model, directory } = resolveApplication(options);
    const root = normalize(directory);
    const existing = [...applicationFiles(model).keys()].filter((file) => tree.exists(join(root, file)));
    if (existing.length > 0)
      throw new SchematicsException(
        `${directory} has an application already (${existing.slice(0, 3).join(', ')}${existing.length > 3 ? ', ...' : ''}); choose another name or --directory.`,
      );
    for (const [file, content] of applicationFiles(model)) tree.create(join(root, file as Path), content);
    if (options.observe === true)
      context.logger.warn(
        '--observe: @nestjs/observe is not set up in Kwik applications (logs go through @kwik/logging).',
      );
    const pm = model.packageManager;
    context.logger.info(
      `${model.name}: a Kwik application in ${directory}/. Next: cd ${directory} && ${pm} install && ${runScript(pm, 'build')} && ${runScript(pm, 'start')}`,
    );
    return tree;
  };
}
