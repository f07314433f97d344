import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { SchematicTestRunner, type UnitTestTree } from '@angular-devkit/schematics/testing';
import { describe, expect, it } from 'vitest';
import { hasExportedArray } from '../schematics/src/utils/source-edits.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const COLLECTION = join(ROOT, 'schematics/collection.json');
const NEST_CLI = join(ROOT, 'node_modules/@nestjs/cli/bin/nest.js');

const readJson = <T = Record<string, unknown>>(path: string): T =>
  JSON.parse(readFileSync(path, 'utf8')) as T;

interface PackageJson {
  name: string;
  version: string;
  type?: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  overrides?: Record<string, string>;
}

/** The non-@kwik packages both manifests name. */
const sharedWith = (ours: Record<string, string>, theirs: Record<string, string>): string[] =>
  Object.keys(ours).filter((name) => !name.startsWith('@kwik/') && theirs[name] !== undefined);

/** What the application schematic writes for `my-app` (paths in the app's directory). */
const APP_FILES = [
  '.env.example',
  '.gitignore',
  '.prettierrc',
  'README.md',
  'nest-cli.json',
  'package.json',
  'src/app.module.ts',
  'src/config/app.config.spec.ts',
  'src/config/app.config.ts',
  'src/data-source.ts',
  'src/database.options.ts',
  'src/entities/index.ts',
  'src/main.ts',
  'src/migrations/1795300000000-create-users.ts',
  'src/migrations/index.ts',
  'src/users/user.entity.ts',
  'test/app.e2e-spec.ts',
  'tsconfig.build.json',
  'tsconfig.json',
  'vitest.config.ts',
];

/** Every option `nest new` passes to a collection's `application` (@nestjs/cli's new.action.js). */
const NEST_NEW_OPTIONS = {
  name: 'my-app',
  skipGit: false,
  strict: true,
  packageManager: 'npm',
  collection: '@kwik/schematics',
  language: 'ts',
  format: false,
  observe: false,
};

describe('the application schematic (SchematicTestRunner)', () => {
  const runner = new SchematicTestRunner('@kwik/schematics', COLLECTION);
  const run = (options: Record<string, unknown>, tree?: UnitTestTree): Promise<UnitTestTree> =>
    runner.runSchematic('application', options, tree);

  it('writes a Kwik app under my-app/', async () => {
    const tree = await run({ name: 'my-app' });
    expect(tree.files.sort()).toEqual(APP_FILES.map((file) => `/my-app/${file}`).sort());
    const read = (file: string): string => tree.readContent(`/my-app/${file}`);

    const pkg = JSON.parse(read('package.json')) as PackageJson;
    expect(pkg).toMatchObject({ name: 'my-app', type: 'module', private: true });
    expect(pkg.scripts).toMatchObject({
      build: 'tsc -p tsconfig.build.json',
      start: 'node dist/main.js',
      test: 'vitest run',
      typecheck: 'tsc --noEmit -p tsconfig.json',
    });
    // @kwik/* at the libraries' own versions; everything else at the ranges the repository uses.
    for (const lib of ['auth', 'core', 'data', 'database', 'logging'])
      expect(pkg.dependencies[`@kwik/${lib}`]).toBe(
        readJson<PackageJson>(join(ROOT, `libs/${lib}/package.json`)).version,
      );
    expect(pkg.devDependencies['@kwik/testing']).toBe(
      readJson<PackageJson>(join(ROOT, 'libs/testing/package.json')).version,
    );
    expect(pkg.devDependencies['@kwik/schematics']).toBe(
      readJson<PackageJson>(join(ROOT, 'schematics/package.json')).version,
    );
    const demo = readJson<PackageJson>(join(ROOT, 'apps/demo/package.json'));
    const repo = readJson<PackageJson>(join(ROOT, 'package.json'));
    const depNames = sharedWith(pkg.dependencies, demo.dependencies);
    expect(depNames.length).toBeGreaterThan(8);
    expect(depNames.map((name) => [name, pkg.dependencies[name]])).toEqual(
      depNames.map((name) => [name, demo.dependencies[name]]),
    );
    const devNames = sharedWith(pkg.devDependencies, repo.devDependencies);
    expect(devNames.length).toBeGreaterThan(4);
    expect(devNames.map((name) => [name, pkg.devDependencies[name]])).toEqual(
      devNames.map((name) => [name, repo.devDependencies[name]]),
    );
    expect(Object.keys(pkg.dependencies)).toEqual(
      expect.arrayContaining(['pg', 'typeorm', '@nestjs/typeorm']),
    );
    expect(Object.keys(pkg.devDependencies)).toEqual(
      expect.arrayContaining([
        '@nestjs/cli',
        '@nestjs/testing',
        'typescript',
        'vitest',
        '@types/node',
        'prettier',
      ]),
    );
    // Every peer of the @kwik libraries the app installs is a dependency of the app.
    const declared = { ...pkg.dependencies, ...pkg.devDependencies };
    const missingPeers = ['auth', 'core', 'data', 'database', 'logging', 'testing'].flatMap((lib) => {
      const { peerDependencies = {}, peerDependenciesMeta = {} } = readJson<{
        peerDependencies?: Record<string, string>;
        peerDependenciesMeta?: Record<string, { optional?: boolean }>;
      }>(join(ROOT, `libs/${lib}/package.json`));
      return Object.keys(peerDependencies)
        .filter((peer) => !peerDependenciesMeta[peer]?.optional && declared[peer] === undefined)
        .map((peer) => `${peer} (peer of @kwik/${lib})`);
    });
    expect(missingPeers).toEqual([]);

    expect(JSON.parse(read('nest-cli.json'))).toMatchObject({
      collection: '@kwik/schematics',
      sourceRoot: 'src',
    });
    expect(JSON.parse(read('.prettierrc'))).toEqual({
      singleQuote: true,
      trailingComma: 'all',
      printWidth: 110,
    });
    expect(JSON.parse(read('tsconfig.json')).compilerOptions).toMatchObject({
      module: 'nodenext',
      moduleResolution: 'nodenext',
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      strict: true,
    });
    expect(JSON.parse(read('tsconfig.build.json'))).toMatchObject({
      include: ['src/**/*.ts'],
      exclude: ['src/**/*.spec.ts'],
    });
    expect(read('vitest.config.ts')).toContain(
      'oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } }',
    );
    expect(read('vitest.config.ts')).toContain("include: ['src/**/*.spec.ts', 'test/**/*.e2e-spec.ts']");
    expect(read('.gitignore')).toMatch(/^\.kwik\/$/m);

    const readme = read('README.md');
    expect(readme.split('\n').slice(2, 6)).toEqual([
      '```bash',
      expect.stringMatching(/^nest new my-app -c @kwik\/schematics\s+#/),
      expect.stringMatching(/^nest g kwik-resource product name:string,price:decimal\S*\s+#/),
      expect.stringMatching(/^npm test\s+#/),
    ]);
    expect(readme).toContain('DATABASE_URL');
    expect(readme).toContain('.kwik/pglite');

    expect(read('src/main.ts')).toContain('await createKwikApp(AppModule)');
    expect(read('src/main.ts')).toContain('app.listen({ port: config.PORT, host: config.HOST })');
    const appModule = read('src/app.module.ts');
    expect(appModule).toContain("import { AuthModule } from '@kwik/auth';");
    for (const call of [
      'KwikModule.forRoot({ config: AppConfig',
      'LoggingModule.forRoot(',
      'DatabaseModule.forRootAsync({ inject: [AppConfig], useFactory: databaseOptions })',
      'DataModule.forRoot({})',
      'userEntity: User,',
      "admin: { permissions: ['*'] },",
      'member: { permissions: [] },',
      "defaultRoles: ['member'],",
      "path: 'api/auth',",
    ])
      expect(appModule).toContain(call);
    expect(read('src/database.options.ts')).toMatch(/migrationsRun: true,\s+synchronize: false,/);
    expect(read('src/config/app.config.ts')).toContain('export class AppConfig extends KwikConfig');
    expect(read('src/users/user.entity.ts')).toContain('export class User extends KwikUser {}');
    // The registries kwik-resource appends to: one exported array literal each.
    const migrations = read('src/migrations/index.ts');
    expect(hasExportedArray(migrations)).toBe(true);
    expect(migrations).toMatch(
      /export const MIGRATIONS: \(new \(\) => MigrationInterface\)\[\] = \[\s*CreateUsers1795300000000,\s*AuthSchema1795400000000,\s*\]/,
    );
    expect(read('src/entities/index.ts')).toContain('export const ENTITIES = [User];');
    expect(read('src/migrations/1795300000000-create-users.ts')).toContain(
      'CREATE UNIQUE INDEX "UQ_users_email"',
    );
    const e2e = read('test/app.e2e-spec.ts');
    expect(e2e).toContain("createTestApp(AppModule, { name: 'app'");
    expect(e2e).toContain('createAuthTestUser(t, ');
    expect(e2e).toContain('.expectProblem(401)');
  });

  it('accepts every option the Nest CLI passes, and the ones of `nest new` flags', async () => {
    const tree = await run({ ...NEST_NEW_OPTIONS, spec: false, strict: false, directory: 'apps/shop' });
    expect(tree.files).toContain('/apps/shop/package.json');
    expect(tree.files.filter((file) => file.endsWith('spec.ts'))).toEqual([]);
    expect(JSON.parse(tree.readContent('/apps/shop/tsconfig.json')).compilerOptions.strict).toBe(false);

    const suffixed = await run({
      name: 'MyShop',
      specFileSuffix: 'test',
      packageManager: 'pnpm',
      skipInstall: true,
    });
    expect(suffixed.files).toContain('/my-shop/src/config/app.config.test.ts');
    expect(JSON.parse(suffixed.readContent('/my-shop/package.json')).name).toBe('my-shop');
    expect(suffixed.readContent('/my-shop/vitest.config.ts')).toContain("'src/**/*.test.ts'");
    expect(suffixed.readContent('/my-shop/README.md')).toContain('pnpm test');
    expect(suffixed.readContent('/my-shop/src/app.module.ts')).toContain("title: 'My Shop API'");
  });

  it('refuses JavaScript, CommonJS, a name that cannot name a package, and an existing app', async () => {
    await expect(run({ name: 'my-app', language: 'js' })).rejects.toThrow(/TypeScript/);
    await expect(run({ name: 'my-app', type: 'cjs' })).rejects.toThrow(/ES modules/);
    await expect(run({ name: 'my app!' })).rejects.toThrow(/cannot name a package/);
    await expect(run({ name: 'my-app', packageManager: 'maven' })).rejects.toThrow(/not one of npm, yarn/);
    const tree = await run({ name: 'my-app' });
    await expect(run({ name: 'my-app' }, tree)).rejects.toThrow(/has an application already/);
  });

  it('is what `kwik new my-app` (schematics/dist/cli.js) writes too', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'kwik-new-'));
    let passed = false;
    try {
      const result = await runCommand(
        process.execPath,
        [join(ROOT, 'schematics/dist/cli.js'), 'new', 'my-app'],
        tmp,
        60_000,
      );
      expect({ exit: result.code, output: result.code === 0 ? '' : result.output }).toEqual({
        exit: 0,
        output: '',
      });
      for (const file of APP_FILES) expect(result.output).toContain(`CREATE my-app/${file} (`);
      expect(APP_FILES.filter((file) => !existsSync(join(tmp, 'my-app', file)))).toEqual([]);
      passed = true;
    } finally {
      if (passed) rmSync(tmp, { recursive: true, force: true });
      else console.log(`[application] kwik new failed: kept ${tmp}`);
    }
  });

  it('makes an app kwik-resource can add to: module, entity and migration registered, routes guarded', async () => {
    const app = await run({ name: 'my-app', directory: '.' });
    expect(app.files).toContain('/package.json');
    const tree = await runner.runSchematic(
      'kwik-resource',
      { name: 'product', fields: 'name:string,price:decimal', sourceRoot: 'src', timestamp: 1796000000000 },
      app,
    );
    expect(tree.readContent('/src/app.module.ts')).toMatch(/ProductsModule,\s*\]/);
    expect(tree.readContent('/src/migrations/index.ts')).toMatch(
      /AuthSchema1795400000000,\s*CreateProducts1796000000000,\s*\]/,
    );
    expect(tree.readContent('/src/entities/index.ts')).toMatch(/ENTITIES = \[User, Product\]/);
    expect(tree.readContent('/src/products/products.controller.ts')).toContain('@ApiAuthenticated()');
    expect(tree.readContent('/test/products.e2e-spec.ts')).toContain('createAuthTestUser');
  });
});

// ---------------------------------------------------------------------------------------------
// The real thing: `nest new` → npm install (the @kwik packages from `npm pack`) → build → start →
// tsc → the app's own specs → `nest g kwik-resource` → tsc → the specs again, with the resource's.

interface Step {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** stdout and stderr, as they came. */
  output: string;
  stdout: string;
  ms: number;
}

/** The environment of the commands: the outer Vitest's and npm's own variables left out. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!/^(VITEST|npm_|NODE_ENV$|INIT_CWD$|DATABASE_URL$|LOG_LEVEL$|PORT$|TEST$)/i.test(key))
      env[key] = value;
  return { ...env, NO_COLOR: '1', FORCE_COLOR: '0', CI: '1', ...extra };
}

/**
 * Runs a command to its end, collecting stdout and stderr; after `timeoutMs` its whole process group
 * (npx → vitest → workers) is killed.
 */
function runCommand(command: string, args: readonly string[], cwd: string, timeoutMs: number): Promise<Step> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: childEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      output += `\n[killed after ${timeoutMs} ms]`;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL'); // the group is gone already
      }
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code,
        signal,
        output: stripVTControlCharacters(output),
        stdout,
        ms: performance.now() - started,
      });
    });
  });
}

const tail = (output: string): string => output.slice(-6000);

describe('nest new -c @kwik/schematics, installed from npm pack tarballs', () => {
  it(
    'installs, builds, starts, type-checks and passes its specs; a kwik-resource added to it passes its own',
    { timeout: 600_000 },
    async () => {
      const tmp = mkdtempSync(join(tmpdir(), 'kwik-app-'));
      const packs = join(tmp, 'packs');
      const app = join(tmp, 'my-app');
      mkdirSync(packs);
      const timings: [string, number][] = [];
      let passed = false;
      /** Runs one step, records its wall time and checks its exit code. */
      const step = async (
        label: string,
        command: string,
        args: string[],
        cwd: string,
        timeoutMs = 180_000,
      ) => {
        const result = await runCommand(command, args, cwd, timeoutMs);
        timings.push([label, result.ms]);
        console.log(
          `[application e2e] ${label}: ${(result.ms / 1000).toFixed(1)} s (exit ${result.code ?? result.signal})`,
        );
        // On failure the diff shows the step and the end of its output.
        expect({
          step: label,
          exit: result.code ?? result.signal,
          output: result.code === 0 ? '' : tail(result.output),
        }).toEqual({ step: label, exit: 0, output: '' });
        return result;
      };
      try {
        // 1. The packages, as npm would publish them: each one's `prepack` (`tsc -b`) brings its dist/
        //    up to date with its sources first (nothing to do after `npm run build`).
        const packed = await step(
          'npm pack (7 workspaces, prepack tsc -b)',
          'npm',
          [
            'pack',
            '--json',
            ...[
              'libs/core',
              'libs/logging',
              'libs/database',
              'libs/data',
              'libs/auth',
              'libs/testing',
              'schematics',
            ].flatMap((w) => ['-w', w]),
            '--pack-destination',
            packs,
          ],
          ROOT,
        );
        const tarballs = JSON.parse(packed.stdout) as {
          name: string;
          filename: string;
        }[];
        expect(tarballs.map((t) => t.name).sort()).toEqual([
          '@kwik/auth',
          '@kwik/core',
          '@kwik/data',
          '@kwik/database',
          '@kwik/logging',
          '@kwik/schematics',
          '@kwik/testing',
        ]);

        // 2. `nest new` with the collection by name: the Schematics CLI resolves @kwik/schematics from
        //    its own location too, which is this repository's node_modules (the workspace link).
        const created = await step(
          'nest new my-app -c @kwik/schematics',
          process.execPath,
          [
            NEST_CLI,
            'new',
            'my-app',
            '-c',
            '@kwik/schematics',
            '--skip-install',
            '--skip-git',
            '--package-manager',
            'npm',
            '--no-observe',
          ],
          tmp,
          60_000,
        );
        for (const file of APP_FILES) expect(created.output).toContain(`CREATE my-app/${file} (`);
        expect(APP_FILES.filter((file) => !existsSync(join(app, file)))).toEqual([]);
        expect(created.output).not.toMatch(/ERROR|Error:/);

        // 3. Every @kwik package from its tarball, also where another @kwik package depends on it.
        const pkgPath = join(app, 'package.json');
        const pkg = readJson<PackageJson>(pkgPath);
        pkg.overrides = {};
        for (const { name, filename } of tarballs) {
          const spec = `file:${join(packs, filename)}`;
          for (const deps of [pkg.dependencies, pkg.devDependencies]) if (deps[name]) deps[name] = spec;
          pkg.overrides[name] = spec;
        }
        writeFileSync(pkgPath, `${JSON.stringify(pkg, null, 2)}\n`);
        await step(
          'npm install',
          'npm',
          ['install', '--no-audit', '--no-fund', '--prefer-offline'],
          app,
          300_000,
        );
        // Installed from the tarballs (copied), not linked to the workspace.
        expect(
          tarballs.filter(({ name }) => lstatSync(join(app, 'node_modules', name)).isSymbolicLink()),
        ).toEqual([]);
        await step('npm ls (no missing or invalid peers)', 'npm', ['ls', '--all'], app, 60_000);
        await step(
          'prettier --check . (the files as generated)',
          'npx',
          ['--no', '--', 'prettier', '--check', '.', '!package-lock.json'],
          app,
          60_000,
        );

        // 4. Build and start it on embedded PostgreSQL (no DATABASE_URL): health, 401, graceful stop.
        await step('npm run build', 'npm', ['run', 'build'], app);
        expect(existsSync(join(app, 'dist/main.js'))).toBe(true);
        const started = performance.now();
        const server = spawn(process.execPath, ['dist/main.js'], {
          cwd: app,
          env: childEnv({ PORT: '0', HOST: '127.0.0.1' }),
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let serverOutput = '';
        let stopCode: number | null = null;
        try {
          const base = await new Promise<string>((resolve, reject) => {
            const timer = setTimeout(
              () => reject(new Error(`no "Listening on" within 90 s:\n${tail(serverOutput)}`)),
              90_000,
            );
            const onData = (chunk: Buffer): void => {
              serverOutput += chunk.toString();
              const match = /Listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(
                stripVTControlCharacters(serverOutput),
              );
              if (match) {
                clearTimeout(timer);
                resolve(match[1]!);
              }
            };
            server.stdout.on('data', onData);
            server.stderr.on('data', onData);
            server.once('exit', (code) => {
              clearTimeout(timer);
              reject(new Error(`npm start exited (${code}) before listening:\n${tail(serverOutput)}`));
            });
          });
          timings.push([
            'npm start → listening (embedded PGlite, first initdb)',
            performance.now() - started,
          ]);
          const ready = await fetch(`${base}/health/ready`);
          expect(ready.status).toBe(200);
          expect(await ready.json()).toMatchObject({ checks: { database: { status: 'up' } } });
          expect((await fetch(`${base}/api/auth/me`)).status).toBe(401);
          expect(existsSync(join(app, '.kwik/pglite'))).toBe(true);
        } finally {
          const exited = new Promise<number | null>((resolve) => {
            if (server.exitCode !== null) resolve(server.exitCode);
            else server.once('exit', (code) => resolve(code));
          });
          server.kill('SIGTERM');
          const kill = setTimeout(() => server.kill('SIGKILL'), 30_000);
          stopCode = await exited;
          clearTimeout(kill);
        }
        expect({ stopCode, output: stopCode === 0 ? '' : tail(serverOutput) }).toEqual({
          stopCode: 0,
          output: '',
        });
        console.log(
          `[application e2e] npm start → listening: ${(timings.at(-1)![1] / 1000).toFixed(1)} s (stopped with SIGTERM)`,
        );

        /** `tsc --noEmit`, then the app's Vitest run; its JSON report. */
        const typecheckAndTest = async (
          label: string,
        ): Promise<{ numFailedTests: number; numPassedTests: number; testResults: { name: string }[] }> => {
          await step(`npx tsc --noEmit${label}`, 'npx', ['--no', '--', 'tsc', '--noEmit'], app);
          const report = join(tmp, `vitest-${timings.length}.json`);
          await step(
            `npx vitest run${label || ' (the app)'}`,
            'npx',
            [
              '--no',
              '--',
              'vitest',
              'run',
              '--reporter=default',
              '--reporter=json',
              `--outputFile.json=${report}`,
            ],
            app,
          );
          return readJson(report);
        };

        // 5. Types and the app's own specs (a PostgreSQL server for createTestApp's databases).
        const first = await typecheckAndTest('');
        expect(first.numFailedTests).toBe(0);
        expect(first.numPassedTests).toBeGreaterThanOrEqual(8);
        expect(first.testResults.map((r) => r.name.slice(app.length + 1)).sort()).toEqual([
          'src/config/app.config.spec.ts',
          'test/app.e2e-spec.ts',
        ]);

        // 6. A resource through the Nest CLI and the installed @kwik/schematics (fields in the path slot).
        const generated = await step(
          'npx nest g kwik-resource product ...',
          'npx',
          [
            '--no',
            '--',
            'nest',
            'g',
            'kwik-resource',
            'product',
            'name:string,price:decimal,stock:int:index,sku:string:unique',
          ],
          app,
          60_000,
        );
        // The Nest CLI exits 0 when a schematic fails: its output and the files tell.
        expect(generated.output).not.toMatch(/ERROR|Error:|failed/i);
        for (const file of [
          'src/products/product.entity.ts',
          'src/products/products.controller.ts',
          'src/products/products.module.ts',
          'src/products/products.spec.ts',
          'test/products.e2e-spec.ts',
          'test/factories/product.factory.ts',
        ]) {
          expect(generated.output).toContain(`CREATE ${file}`);
          expect(existsSync(join(app, file))).toBe(true);
        }
        expect(generated.output).toContain('UPDATE src/app.module.ts');
        expect(readFileSync(join(app, 'src/app.module.ts'), 'utf8')).toMatch(/ProductsModule,\s*\]/);
        expect(readFileSync(join(app, 'src/migrations/index.ts'), 'utf8')).toMatch(
          /CreateProducts\d{13},\s*\]/,
        );
        expect(readFileSync(join(app, 'src/entities/index.ts'), 'utf8')).toContain('[User, Product]');

        const second = await typecheckAndTest(' (with products)');
        expect(second.numFailedTests).toBe(0);
        expect(second.numPassedTests).toBeGreaterThan(first.numPassedTests);
        expect(second.testResults.map((r) => r.name.slice(app.length + 1)).sort()).toEqual([
          'src/config/app.config.spec.ts',
          'src/products/products.spec.ts',
          'test/app.e2e-spec.ts',
          'test/products.e2e-spec.ts',
        ]);
        passed = true;
      } finally {
        const total = timings.reduce((sum, [, ms]) => sum + ms, 0);
        console.log(
          `[application e2e] wall times:\n${timings.map(([label, ms]) => `  ${(ms / 1000).toFixed(1).padStart(6)} s  ${label}`).join('\n')}\n  ${(total / 1000).toFixed(1).padStart(6)} s  total`,
        );
        if (passed) rmSync(tmp, { recursive: true, force: true });
        else console.log(`[application e2e] failed: the app and the tarballs are kept in ${tmp}`);
      }
    },
  );
});
