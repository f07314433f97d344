import { join, normalize, strings, type Path } from '@angular-devkit/core';
import { SchematicsException, type Rule, type SchematicContext, type Tree } from '@angular-devkit/schematics';
import { ModuleFinder, ModuleMetadataDeclarator } from '@nestjs/schematics';
import { formatSource, formatTree } from '../utils/format.js';
import { relativeImport } from '../utils/paths.js';
import { addNamedImport, appendToExportedArray, importsName } from '../utils/source-edits.js';
import { looksLikeFields, parseFields } from './fields.js';
import {
  controllerFile,
  dtoFile,
  entityFile,
  migrationFile,
  moduleFile,
  resourceNames,
  serviceFile,
  shapeFile,
  tenantMigrationFile,
  type ResourceModel,
} from './model.js';
import { e2eSpecFile, factoryFile, unitSpecFile } from './test-files.js';

/** Options of `kwik-resource` (`schemas/kwik-resource.json`). */
export interface KwikResourceOptions {
  name: string;
  fields?: string | string[];
  path?: string;
  sourceRoot?: string;
  project?: string;
  auth?: boolean;
  tenantScoped?: boolean;
  cache?: boolean;
  route?: string;
  force?: boolean;
  skipImport?: boolean;
  spec?: boolean | { value: boolean };
  timestamp?: number;
  [other: string]: unknown;
}

/** What the target project has, read from its files. */
interface ProjectFacts {
  sourceRoot: string;
  projectRoot: string;
  appModule: string | undefined;
  esm: boolean;
  hasAuth: boolean;
  hasTenancy: boolean;
  hasCache: boolean;
  migrationsIndex: string | undefined;
  tenantMigrationsIndex: string | undefined;
  entitiesIndex: string | undefined;
}

const read = (tree: Tree, path: string): string | undefined => tree.read(path)?.toString('utf8');

/** `a/b/c` → `a/b`, `a`, `` (the tree's root). */
function ancestors(dir: string): string[] {
  const parts = dir.split('/').filter(Boolean);
  return parts.map((_, i) => parts.slice(0, parts.length - 1 - i).join('/'));
}

function inspect(tree: Tree, sourceRoot: string): ProjectFacts {
  const root = normalize(sourceRoot.replace(/^\/+/, ''));
  const projectRoot = root.endsWith('/src') ? root.slice(0, -4) : root === 'src' ? '' : root;
  const candidate = join(root as Path, 'app.module.ts');
  const appModule = tree.exists(candidate)
    ? candidate
    : (new ModuleFinder(tree).find({ name: 'app', path: root as Path }) ?? undefined);
  const appSource = appModule ? (read(tree, appModule) ?? '') : '';
  // The package.json nearest to the source root decides the module system (an app in a monorepo has its own).
  const nearest = [projectRoot, ...ancestors(projectRoot)]
    .map((dir) => (dir ? `${dir}/package.json` : 'package.json'))
    .find((path) => tree.exists(path));
  const pkg = JSON.parse(read(tree, nearest ?? 'package.json') ?? '{}') as { type?: string };
  const existing = (path: string): string | undefined => (tree.exists(path) ? path : undefined);
  return {
    sourceRoot: root,
    projectRoot,
    appModule,
    esm: pkg.type === 'module',
    hasAuth: /from '@kwik\/auth'/.test(appSource) && /\bAuthModule\b/.test(appSource),
    hasTenancy: /from '@kwik\/tenant'/.test(appSource) && /\bTenantModule\b/.test(appSource),
    hasCache: /from '@kwik\/cache'/.test(appSource) && /\bCacheModule\b/.test(appSource),
    migrationsIndex: existing(join(root as Path, 'migrations', 'index.ts')),
    tenantMigrationsIndex: existing(join(root as Path, 'migrations', 'tenant', 'index.ts')),
    entitiesIndex: existing(join(root as Path, 'entities', 'index.ts')),
  };
}

/** Splits `"product name:string price:decimal"` and takes fields from `path` when `nest g` put them there. */
function normalizeOptions(options: KwikResourceOptions): {
  name: string;
  fieldInput: string[];
  dir?: string;
} {
  const words = (options.name ?? '').trim().split(/\s+/).filter(Boolean);
  const [name, ...inlineFields] = words;
  if (!name)
    throw new SchematicsException(
      'kwik-resource needs a name: nest g kwik-resource product name:string,price:decimal',
    );
  if (name.includes(':'))
    throw new SchematicsException(
      `"${name}" looks like a field; the resource's name comes first (kwik-resource product ${name}).`,
    );
  if (!/^[A-Za-z][A-Za-z0-9-_]*$/.test(name))
    throw new SchematicsException(
      `"${name}" is not a resource name: letters, digits and dashes, starting with a letter (product, order-item).`,
    );
  const fieldInput = [...inlineFields];
  const given = options.fields;
  if (typeof given === 'string') fieldInput.push(given);
  else if (Array.isArray(given)) fieldInput.push(...given);
  let dir: string | undefined;
  if (looksLikeFields(options.path)) fieldInput.push(options.path);
  else if (options.path) dir = options.path;
  return { name, fieldInput, dir };
}

/** The newest migration timestamp in a directory's file names (`1796100000001-tasks-grants.ts`). */
function newestTimestamp(tree: Tree, dir: string | undefined): number {
  if (!dir) return 0;
  let newest = 0;
  for (const file of tree.getDir(dir).subfiles) {
    const match = /^(\d{13})-/.exec(file);
    if (match) newest = Math.max(newest, Number(match[1]));
  }
  return newest;
}

/** The migration file `kwik-resource` wrote earlier for the table, if any (running twice adds none). */
function existingMigration(tree: Tree, dir: string, plural: string): string | undefined {
  const name = new RegExp(`^\\d{13}-create-${plural}\\.ts$`);
  return tree.getDir(dir).subfiles.find((file) => name.test(file));
}

/**
 * `nest g kwik-resource product name:string,price:decimal,stock:int:index,sku:string:unique -p demo`:
 * writes the entity, migration, DTOs, shape, controller, service, module, factory and specs of a
 * CRUD resource and registers the module, entity and migration in the project. Never overwrites a
 * file without `--force`; running it twice changes nothing.
 */
export function kwikResource(options: KwikResourceOptions): Rule {
  return async (tree: Tree, context: SchematicContext) => {
    const { name, fieldInput, dir } = normalizeOptions(options);
    const fields = parseFields(fieldInput);
    const facts = inspect(tree, options.sourceRoot ?? 'src');
    if (!facts.appModule)
      throw new SchematicsException(
        `No app module under ${facts.sourceRoot}: run kwik-resource inside a Nest project (with --project <name> in a monorepo).`,
      );
    const names = resourceNames(name);
    const auth = options.auth ?? facts.hasAuth;
    if (options.auth === undefined && !facts.hasAuth)
      context.logger.info(
        `${facts.appModule} imports no AuthModule (@kwik/auth): the routes are generated public (--auth forces permission checks).`,
      );
    if (options.auth === true && !facts.hasAuth)
      context.logger.warn(
        `--auth: ${facts.appModule} imports no AuthModule; the module needs @kwik/auth's AccessControl from wherever you import it.`,
      );
    const tenantScoped = options.tenantScoped ?? facts.hasTenancy;
    if (tenantScoped && !facts.hasTenancy)
      throw new SchematicsException(
        `--tenant-scoped needs TenantModule (@kwik/tenant) in ${facts.appModule}; add it, or leave the flag out.`,
      );
    const cache = options.cache === true;
    if (cache && !facts.hasCache)
      throw new SchematicsException(
        `--cache needs CacheModule (@kwik/cache) in ${facts.appModule}; add it, or leave the flag out.`,
      );
    const spec = typeof options.spec === 'object' ? options.spec.value : options.spec !== false;
    const route = (options.route ?? `api/${names.plural}`).replace(/^\/+|\/+$/g, '');
    if (!/^[a-z0-9][a-z0-9\-/:]*$/i.test(route))
      throw new SchematicsException(`--route "${route}" is not a path.`);

    const resourceDir = join(facts.sourceRoot as Path, dir ?? names.plural);
    const migrationsDir = join(facts.sourceRoot as Path, 'migrations');
    const tenantDir = facts.tenantMigrationsIndex && tenantScoped ? join(migrationsDir, 'tenant') : undefined;
    const previous = existingMigration(tree, migrationsDir, names.plural);
    const timestamp =
      Number(/^(\d{13})/.exec(previous ?? '')?.[1] ?? 0) ||
      (options.timestamp ??
        Math.max(Date.now(), newestTimestamp(tree, migrationsDir) + 1, newestTimestamp(tree, tenantDir) + 1));
    const model: ResourceModel = {
      ...names,
      route,
      fields,
      auth,
      tenancy: facts.hasTenancy,
      tenantScoped,
      cache,
      ext: facts.esm ? '.js' : '',
      migration: {
        className: `Create${names.Plural}${timestamp}`,
        tenantClassName: `CreateTenant${names.Plural}${timestamp + 1}`,
      },
    };
    const ext = model.ext;
    const entityPath = join(resourceDir, `${names.singular}.entity.ts`);
    const migrationPath = join(migrationsDir, `${timestamp}-create-${names.plural}.ts`);
    const tenantMigrationPath = tenantDir
      ? join(tenantDir, `${timestamp + 1}-create-tenant-${names.plural}.ts`)
      : undefined;
    const testDir = join((facts.projectRoot || '.') as Path, 'test');
    const factoryPath = join(testDir, 'factories', `${names.singular}.factory.ts`);

    const files = new Map<string, string>([
      [entityPath, entityFile(model)],
      [join(resourceDir, `${names.singular}.shape.ts`), shapeFile(model)],
      [join(resourceDir, 'dto', `${names.singular}.dto.ts`), dtoFile(model)],
      [join(resourceDir, `${names.plural}.service.ts`), serviceFile(model)],
      [join(resourceDir, `${names.plural}.controller.ts`), controllerFile(model)],
      [join(resourceDir, `${names.plural}.module.ts`), moduleFile(model)],
      [migrationPath, migrationFile(model)],
    ]);
    if (tenantMigrationPath) files.set(tenantMigrationPath, tenantMigrationFile(model));
    if (spec) {
      files.set(join(resourceDir, `${names.plural}.spec.ts`), unitSpecFile(model));
      files.set(factoryPath, factoryFile(model, relativeImport(factoryPath, entityPath, ext)));
      files.set(
        join(testDir, `${names.plural}.e2e-spec.ts`),
        e2eSpecFile(model, {
          appModule: relativeImport(join(testDir, 'x.ts'), facts.appModule, ext),
          factory: relativeImport(join(testDir, 'x.ts'), factoryPath, ext),
        }),
      );
    }

    const written: string[] = [];
    const migrations = new Set<string | undefined>([migrationPath, tenantMigrationPath]);
    for (const [path, content] of files) {
      if (tree.exists(path)) {
        if (migrations.has(path)) {
          // A migration may have run somewhere already: a schema change is a new migration.
          context.logger.info(
            `${path} exists: kept (a migration is never rewritten; npm run migration:generate makes the next one).`,
          );
          continue;
        }
        if (!options.force) {
          context.logger.info(`${path} exists: kept (--force overwrites it).`);
          continue;
        }
        if (read(tree, path) === (await formatSource(path, content))) continue;
        tree.overwrite(path, content);
      } else tree.create(path, content);
      written.push(path);
    }

    if (!options.skipImport) {
      const edits: [string | undefined, string, string][] = [
        [facts.migrationsIndex, model.migration.className, migrationPath],
        [
          tenantMigrationPath ? facts.tenantMigrationsIndex : undefined,
          model.migration.tenantClassName,
          tenantMigrationPath ?? '',
        ],
        [facts.entitiesIndex, names.Entity, entityPath],
      ];
      for (const [index, symbol, target] of edits) {
        if (!index) continue;
        const source = read(tree, index)!;
        if (importsName(source, symbol)) continue;
        const appended = appendToExportedArray(
          addNamedImport(source, symbol, relativeImport(index, target, ext)),
          symbol,
        );
        if (appended === undefined) {
          context.logger.warn(`${index} exports no array: register ${symbol} there yourself.`);
          continue;
        }
        tree.overwrite(index, appended);
        written.push(index);
      }
      const moduleClass = `${names.Plural}Module`;
      const appSource = read(tree, facts.appModule)!;
      if (!importsName(appSource, moduleClass)) {
        const withImport = addNamedImport(
          appSource,
          moduleClass,
          relativeImport(facts.appModule, join(resourceDir, `${names.plural}.module.ts`), ext),
        );
        const declared = new ModuleMetadataDeclarator().declare(withImport, {
          metadata: 'imports',
          symbol: moduleClass,
        } as never);
        tree.overwrite(facts.appModule, declared);
        written.push(facts.appModule);
      }
    }
    if (!facts.migrationsIndex)
      context.logger.info(
        `${migrationPath}: add ${model.migration.className} to your data source's migrations (no ${join(migrationsDir, 'index.ts')} to register it in).`,
      );
    await formatTree(tree, written);
    context.logger.info(
      `${strings.classify(names.singular)}: ${written.length} file(s) written or updated. Run the specs: npx vitest run ${names.plural}`,
    );
    return tree;
  };
}
