/** Everything the application templates need to know. */
export interface AppModel {
  /** The package name (`my-app`, `@acme/shop`). */
  readonly name: string;
  /** A human title for the API docs and the README (`My App`). */
  readonly title: string;
  readonly version: string;
  readonly description: string;
  readonly author: string;
  /** The version or range of every @kwik/* dependency. */
  readonly kwikVersion: string;
  /** TypeScript `strict`. */
  readonly strict: boolean;
  /** Write the app's own specs. */
  readonly spec: boolean;
  /** Unit specs end in `.<specFileSuffix>.ts`. */
  readonly specFileSuffix: string;
  readonly packageManager: PackageManager;
}

export const PACKAGE_MANAGERS = ['npm', 'yarn', 'pnpm', 'bun'] as const;
export type PackageManager = (typeof PACKAGE_MANAGERS)[number];

/** The users table's migration, ordered before @kwik/auth's `AuthSchema1795400000000`. */
export const USERS_MIGRATION = { className: 'CreateUsers1795300000000', file: '1795300000000-create-users' };

/** The @kwik libraries the app depends on. */
export const KWIK_DEPENDENCIES = [
  '@kwik/auth',
  '@kwik/core',
  '@kwik/data',
  '@kwik/database',
  '@kwik/logging',
] as const;
/** The @kwik packages the app develops with. */
export const KWIK_DEV_DEPENDENCIES = ['@kwik/schematics', '@kwik/testing'] as const;

/**
 * Third-party dependencies and their ranges: those of apps/demo, and the peers of the @kwik libraries
 * (`pg` for @kwik/testing and TypeORM's postgres driver).
 */
export const DEPENDENCIES: Readonly<Record<string, string>> = {
  '@nestjs/common': '^12.5.1',
  '@nestjs/core': '^12.5.1',
  '@nestjs/platform-fastify': '^12.5.0',
  '@nestjs/swagger': '^12.0.2',
  '@nestjs/typeorm': '^12.0.2',
  'class-transformer': '^0.5.1',
  'class-validator': '^0.15.1',
  pg: '^8.23.0',
  'reflect-metadata': '^0.2.2',
  rxjs: '^7.8.2',
  typeorm: '^1.1.1',
};

/** Tooling: the Nest CLI (with `nest g kwik-resource`), TypeScript 6 (the Nest CLI needs 6.x), Vitest 4. */
export const DEV_DEPENDENCIES: Readonly<Record<string, string>> = {
  '@nestjs/cli': '^12.0.8',
  '@nestjs/testing': '^12.1.1',
  '@types/node': '^20.19.0',
  prettier: '^3.6.0',
  typescript: '~6.0.3',
  vitest: '^4.1.12',
};

const sorted = (entries: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(entries).sort(([a], [b]) => a.localeCompare(b)));

/** `npm run build`, `yarn build`, `pnpm build`, `bun run build`; `npm test`, `npm start`. */
export function runScript(pm: PackageManager, script: string): string {
  if (pm === 'npm') return ['test', 'start'].includes(script) ? `npm ${script}` : `npm run ${script}`;
  if (pm === 'bun') return `bun run ${script}`;
  return `${pm} ${script}`;
}

/** Shell lines with their comments lined up (`cmd   # comment`). */
function commented(lines: readonly (readonly [string, string])[]): string {
  const width = Math.max(...lines.map(([command]) => command.length)) + 3;
  return lines
    .map(([command, comment]) => (comment ? `${command.padEnd(width)}# ${comment}` : command))
    .join('\n');
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
const fence = '```';

export function packageJson(m: AppModel): string {
  const kwik = (names: readonly string[]): Record<string, string> =>
    Object.fromEntries(names.map((name) => [name, m.kwikVersion]));
  return json({
    name: m.name,
    version: m.version,
    description: m.description,
    author: m.author,
    private: true,
    license: 'UNLICENSED',
    type: 'module',
    engines: { node: '>=20.19' },
    scripts: {
      build: 'tsc -p tsconfig.build.json',
      start: 'node dist/main.js',
      test: 'vitest run',
      'test:watch': 'vitest',
      typecheck: 'tsc --noEmit -p tsconfig.json',
      format: 'prettier --write "{src,test}/**/*.ts"',
      'migration:generate': 'npm run build --silent && kwik-db generate --data-source dist/data-source.js',
      'migration:run': 'npm run build --silent && kwik-db run --data-source dist/data-source.js',
      'migration:revert': 'npm run build --silent && kwik-db revert --data-source dist/data-source.js',
    },
    dependencies: sorted({ ...kwik(KWIK_DEPENDENCIES), ...DEPENDENCIES }),
    devDependencies: sorted({ ...kwik(KWIK_DEV_DEPENDENCIES), ...DEV_DEPENDENCIES }),
  });
}

export function tsconfigJson(m: AppModel): string {
  return `{
  "compilerOptions": {
    "target": "ES2023",
    "lib": ["ES2023"],
    "module": "nodenext",
    "moduleResolution": "nodenext",
    "strict": ${m.strict},
    "noImplicitOverride": true,
    "noFallthroughCasesInSwitch": true,
    "experimentalDecorators": true,
    "emitDecoratorMetadata": true,
    "esModuleInterop": true,
    "isolatedModules": true,
    "skipLibCheck": true,
    "forceConsistentCasingInFileNames": true,
    "sourceMap": true,
    "types": ["node"],
    "noEmit": true
  },
  "include": ["src/**/*.ts", "test/**/*.ts", "vitest.config.ts"]
}
`;
}

export function tsconfigBuildJson(m: AppModel): string {
  return `{
  "extends": "./tsconfig.json",
  "compilerOptions": {
    "noEmit": false,
    "rootDir": "src",
    "outDir": "dist"
  },
  "include": ["src/**/*.ts"],
  "exclude": ["src/**/*.${m.specFileSuffix}.ts"]
}
`;
}

export function vitestConfig(m: AppModel): string {
  return `import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Nest's decorators and the \`design:*\` metadata that injection and TypeORM read (Vite's oxc transform).
  oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } },
  test: {
    include: ['src/**/*.${m.specFileSuffix}.ts', 'test/**/*.e2e-spec.ts'],
    // Each e2e file boots the app on a PostgreSQL database of its own: a few at a time.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
`;
}

export function nestCliJson(): string {
  return json({
    $schema: 'https://json.schemastore.org/nest-cli',
    collection: '@kwik/schematics',
    sourceRoot: 'src',
    compilerOptions: { builder: 'tsc', tsConfigPath: 'tsconfig.build.json', deleteOutDir: true },
  });
}

export function gitignore(): string {
  return `# dependencies and builds
node_modules/
dist/
*.tsbuildinfo
coverage/

# the embedded database (PGlite) and other local state
.kwik/

# secrets
.env
.env.*
!.env.example

# logs and editors
*.log
.DS_Store
.idea/
.vscode/*
!.vscode/extensions.json
`;
}

export function prettierrc(): string {
  return json({ singleQuote: true, trailingComma: 'all', printWidth: 110 });
}

export function envExample(): string {
  return `# Copy to .env (read at boot; real environment variables win over it). Every variable is optional
# in development.

# PORT=3000
# HOST=127.0.0.1
# NODE_ENV=development
# LOG_LEVEL=info

# A PostgreSQL server; unset, the app runs on embedded PostgreSQL (PGlite) under .kwik/pglite.
# DATABASE_URL=postgres://postgres@127.0.0.1:5432/my_app

# Signs access tokens and list cursors; at least 32 characters (openssl rand -base64 32).
# Required when NODE_ENV=production; unset in development, a random key is made at each start.
# APP_SECRET=

# Redis, shared by every instance (token revocation, sign-in throttling); unset: in-process.
# REDIS_URL=redis://127.0.0.1:6379
`;
}

export function readme(m: AppModel): string {
  const run = (script: string): string => runScript(m.packageManager, script);
  const install = `${m.packageManager} install`;
  return `# ${m.name}

${fence}bash
${commented([
  [`nest new ${m.name} -c @kwik/schematics`, 'this app'],
  ['nest g kwik-resource product name:string,price:decimal,stock:int:index', 'a CRUD resource, wired in'],
  [run('test'), 'unit and e2e specs'],
])}
${fence}

A [Kwik](https://www.npmjs.com/package/@kwik/core) application: NestJS 12 on Fastify, PostgreSQL
through TypeORM (embedded when there is no server), sign-in with roles and permissions, problem+json
errors, OpenAPI docs, JSON logs, and Vitest specs that run against a real database.

## Start

${fence}bash
${commented([
  [install, ''],
  [run('build'), 'TypeScript → dist/'],
  [run('start'), 'http://127.0.0.1:3000 (PORT, HOST)'],
])}
${fence}

- \`GET /health/live\`, \`GET /health/ready\`: liveness, and readiness (the database answers).
- \`/docs\`: the OpenAPI UI (\`/docs/json\` the document).
- \`POST /api/auth/register\` \`{ "email", "password", "displayName" }\` → a token pair and the user
  (role \`member\`); \`POST /api/auth/login\` \`{ "email", "password" }\` → \`{ accessToken, refreshToken }\`;
  \`GET /api/auth/me\` with \`Authorization: Bearer <accessToken>\`. Every route needs a signed-in user
  unless it is \`@Public()\` (401 otherwise).

## Database: \`DATABASE_URL\`

- **Unset**: embedded PostgreSQL (PGlite) in \`.kwik/pglite\`, created at the first start (a few
  seconds) and reused after. Nothing to install; one process at a time per directory. Delete the
  directory to start over.
- **Set** (\`postgres://user:password@host:5432/db\`): that PostgreSQL server.

Either way the migrations in \`src/migrations\` (\`MIGRATIONS\` in \`src/migrations/index.ts\`) run at
boot and the schema is never synchronized from the entities. After changing an entity:

${fence}bash
${run('migration:generate')} -- --name add-phone-to-users   # writes src/migrations/<timestamp>-add-phone-to-users.ts
${fence}

then add its class to \`MIGRATIONS\`. \`migration:run\` and \`migration:revert\` apply or undo them by hand.

## Generate a resource

${fence}bash
nest g kwik-resource product name:string,price:decimal,stock:int:index,sku:string:unique
${fence}

writes \`src/products/\` (entity, migration, DTOs, shape, CRUD controller, service, module, unit spec),
\`test/products.e2e-spec.ts\` and \`test/factories/product.factory.ts\`, and registers the module, the
entity and the migration. The Nest CLI passes one argument after the name, so fields are
comma-separated there; \`npx kwik g kwik-resource product name:string price:decimal\` takes them
space-separated. Types: string, text, int, decimal, number, boolean, date, datetime, uuid; modifiers:
optional, index, unique. Routes need \`product:read\`, \`product:create\`, \`product:update\`,
\`product:delete\` (grant them to a role in \`src/app.module.ts\`; \`admin\` has \`*\`).

## Tests

${fence}bash
${commented([
  [run('test'), `Vitest: src/**/*.${m.specFileSuffix}.ts and test/**/*.e2e-spec.ts`],
  [run('typecheck'), 'Vitest does not type-check'],
])}
${fence}

The e2e specs boot the whole app with \`createTestApp()\` (@kwik/testing) on a throw-away database
each, migrated as in production, and sign in through the app's own login (\`createAuthTestUser()\` of
@kwik/auth writes users with the permissions a test needs). They need a PostgreSQL server (13 or
later) where the user may \`CREATE DATABASE\`: \`KWIK_TEST_POSTGRES_URL\`, by default
\`postgres://postgres@127.0.0.1:5432/postgres\` — for instance
\`docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres:17\`.

## Configuration

Read from the environment and \`.env\` (see \`.env.example\`), validated at boot by \`AppConfig\`
(\`src/config/app.config.ts\`; add your own variables there):

| variable       | default                         |                                                                  |
| -------------- | ------------------------------- | ---------------------------------------------------------------- |
| \`PORT\`, \`HOST\` | \`3000\`, \`127.0.0.1\`             | where the server listens                                         |
| \`NODE_ENV\`     | \`development\`                   | \`production\` requires \`APP_SECRET\`                               |
| \`LOG_LEVEL\`    | \`info\`                          | \`fatal\` … \`trace\`, \`silent\`                                      |
| \`DATABASE_URL\` | unset: embedded PGlite          | PostgreSQL server                                                |
| \`APP_SECRET\`   | unset: a random key per process | ≥ 32 characters; signs access tokens and list cursors            |
| \`REDIS_URL\`    | unset: in-process               | shares token revocation and sign-in throttling between instances |

Without \`APP_SECRET\` outside production, tokens stop working when the process restarts; in
production the app refuses to start without it and says so.

## Layout

${fence}
src/main.ts                  createKwikApp(AppModule), listen on PORT
src/app.module.ts            KwikModule, LoggingModule, DatabaseModule, DataModule, AuthModule (roles)
src/config/app.config.ts     the environment, validated
src/database.options.ts      DatabaseModule's options (shared with src/data-source.ts, the migrations CLI's)
src/users/user.entity.ts     the users table (@kwik/auth's KwikUser)
src/entities/index.ts        ENTITIES, for the data source
src/migrations/index.ts      MIGRATIONS, run at boot
test/app.e2e-spec.ts         health, sign-in, 401, migrations matching the entities
${fence}
`;
}

export function mainTs(): string {
  return `import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createKwikApp, KwikError } from '@kwik/core';
import { AppModule } from './app.module.js';
import { AppConfig } from './config/app.config.js';

/** Where the data lives, without credentials. */
function describeDatabase(url: string | undefined): string {
  if (!url) return 'embedded PostgreSQL (PGlite) in .kwik/pglite';
  const { hostname, port, pathname } = new URL(url);
  return \`PostgreSQL server \${hostname}:\${port || 5432}\${pathname}\`;
}

async function bootstrap(): Promise<void> {
  const app = await createKwikApp(AppModule);
  const config = app.get(AppConfig);
  await app.listen({ port: config.PORT, host: config.HOST });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const base = \`http://\${config.HOST.includes(':') ? \`[\${config.HOST}]\` : config.HOST}:\${port}\`;
  const logger = new Logger('App');
  logger.log(\`Listening on \${base} (health: \${base}/health/ready, OpenAPI docs: \${base}/docs)\`);
  logger.log(\`Database: \${describeDatabase(config.DATABASE_URL)}\`);
  logger.log(\`Sign up: POST \${base}/api/auth/register, sign in: POST \${base}/api/auth/login\`);
}

bootstrap().catch((error: unknown) => {
  // A misconfiguration is reported as its own fix-it message, without a stack trace.
  const message = error instanceof KwikError ? error.message : ((error as Error).stack ?? String(error));
  process.stderr.write(\`The app failed to start:\\n\${message}\\n\`);
  process.exitCode = 1;
});
`;
}

export function appModuleTs(m: AppModel): string {
  return `import { Module } from '@nestjs/common';
import { AuthModule } from '@kwik/auth';
import { KwikModule } from '@kwik/core';
import { DataModule } from '@kwik/data';
import { DatabaseModule } from '@kwik/database';
import { LoggingModule } from '@kwik/logging';
import { AppConfig } from './config/app.config.js';
import { databaseOptions } from './database.options.js';
import { User } from './users/user.entity.js';

@Module({
  imports: [
    // Typed configuration (AppConfig), request context, problem+json errors, validation, health, OpenAPI at /docs.
    KwikModule.forRoot({ config: AppConfig, docs: { title: ${quote(`${m.title} API`)}, version: ${quote(m.version)} } }),
    LoggingModule.forRoot({ base: { service: ${quote(m.name)} } }),
    // DATABASE_URL, or embedded PostgreSQL (PGlite) in .kwik/pglite; migrations run at boot.
    DatabaseModule.forRootAsync({ inject: [AppConfig], useFactory: databaseOptions }),
    // Shaped lists (filter, sort, cursor pages) and CRUD resources; cursors are signed with APP_SECRET.
    DataModule.forRoot({}),
    // Sign-in at /api/auth (login, refresh, register, me, API keys, MFA); every route needs a user unless @Public().
    AuthModule.forRoot({
      userEntity: User,
      roles: {
        admin: { permissions: ['*'] },
        member: { permissions: [] },
      },
      defaultRoles: ['member'],
      path: 'api/auth',
    }),
  ],
})
export class AppModule {}
`;
}

/** A single-quoted TypeScript string literal. */
function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function appConfigTs(): string {
  return `import { KwikConfig } from '@kwik/core';

/**
 * The app's environment (and \`.env\`), validated once at boot: Kwik's variables (PORT, HOST, NODE_ENV,
 * LOG_LEVEL, APP_SECRET, DATABASE_URL, REDIS_URL, SHUTDOWN_*) and yours. Inject it anywhere.
 *
 * @example
 * // a variable of your own: converted, validated, with a default
 * @EnvNumber()
 * @IsInt({ message: 'must be a whole number' })
 * @Min(1, { message: 'must be at least 1' })
 * ORDER_LIMIT: number = 100;
 */
export class AppConfig extends KwikConfig {}
`;
}

export function appConfigSpecTs(): string {
  return `import 'reflect-metadata';
import { loadConfig } from '@kwik/core';
import { describe, expect, it } from 'vitest';
import { AppConfig } from './app.config.js';

describe('AppConfig', () => {
  it('has working defaults: port 3000, embedded PostgreSQL', () => {
    const config = loadConfig(AppConfig, {});
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('refuses a bad variable with a message naming it', () => {
    expect(() => loadConfig(AppConfig, { DATABASE_URL: 'mysql://localhost/app' })).toThrow(/DATABASE_URL/);
  });
});
`;
}

export function databaseOptionsTs(m: AppModel): string {
  return `import { AUTH_ENTITIES } from '@kwik/auth';
import type { DatabaseModuleOptions } from '@kwik/database';
import type { AppConfig } from './config/app.config.js';
import { ENTITIES } from './entities/index.js';
import { MIGRATIONS } from './migrations/index.js';

/**
 * The database, for the app and for the migrations CLI (src/data-source.ts): DATABASE_URL set → that
 * PostgreSQL server; unset → embedded PostgreSQL (PGlite) in .kwik/pglite. The migrations run at boot;
 * the schema is never synchronized from the entities.
 */
export function databaseOptions(config: AppConfig): DatabaseModuleOptions {
  return {
    url: config.DATABASE_URL,
    entities: [...ENTITIES, ...AUTH_ENTITIES],
    migrations: MIGRATIONS,
    migrationsRun: true,
    synchronize: false,
    applicationName: ${quote(m.name)},
  };
}
`;
}

export function dataSourceTs(): string {
  return `import { fileURLToPath } from 'node:url';
import { environmentWith, loadConfig } from '@kwik/core';
import { AppConfig } from './config/app.config.js';
import { databaseOptions } from './database.options.js';

/**
 * The database of the migrations CLI (\`npm run migration:generate -- --name x\`, \`migration:run\`,
 * \`migration:revert\`): the app's own options, from the same environment and .env.
 */
export default () => databaseOptions(loadConfig(AppConfig, environmentWith('.env')));

/** Where \`migration:generate\` writes new migrations (the sources, not dist/). */
export const migrationsDir = fileURLToPath(new URL('../src/migrations', import.meta.url));
`;
}

export function userEntityTs(): string {
  return `import { Entity, Index } from 'typeorm';
import { KwikUser } from '@kwik/auth';

/**
 * Someone who signs in: @kwik/auth's columns (email, displayName, roles, passwordHash, disabledAt) on
 * the users table. Add columns of your own here, then \`npm run migration:generate -- --name <change>\`.
 */
@Entity('users')
@Index('UQ_users_email', ['email'], { unique: true })
export class User extends KwikUser {}
`;
}

export function entitiesIndexTs(): string {
  return `import { User } from '../users/user.entity.js';

/** The app's entities, for the data source (\`nest g kwik-resource\` adds its own here). */
export const ENTITIES = [User];
`;
}

export function migrationsIndexTs(): string {
  return `import type { MigrationInterface } from 'typeorm';
import { AuthSchema1795400000000 } from '@kwik/auth';
import { ${USERS_MIGRATION.className} } from './${USERS_MIGRATION.file}.js';

/** Every migration of the app; TypeORM runs the pending ones at boot, in timestamp order. */
export const MIGRATIONS: (new () => MigrationInterface)[] = [
  ${USERS_MIGRATION.className},
  AuthSchema1795400000000,
];
`;
}

export function usersMigrationTs(): string {
  const name = USERS_MIGRATION.className;
  const columns = [
    '"id" uuid NOT NULL DEFAULT gen_random_uuid()',
    '"createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()',
    '"updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()',
    '"version" integer NOT NULL',
    '"email" character varying(254) NOT NULL',
    '"displayName" character varying(100) NOT NULL',
    `"roles" text array NOT NULL DEFAULT '{}'`,
    '"passwordHash" character varying(255) NOT NULL',
    '"disabledAt" TIMESTAMP WITH TIME ZONE',
    'CONSTRAINT "PK_users" PRIMARY KEY ("id")',
  ];
  return `import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The users table: KwikUser's columns (@kwik/auth), with one account per email. */
export class ${name} implements MigrationInterface {
  name = '${name}';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      \`CREATE TABLE "users" (${columns.join(', ')})\`,
    );
    await queryRunner.query(\`CREATE UNIQUE INDEX "UQ_users_email" ON "users" ("email")\`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`DROP TABLE "users"\`);
  }
}
`;
}

export function appE2eSpecTs(): string {
  return `import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { createAuthTestUser, type AuthTestUser } from '@kwik/auth';
import { createTestApp, type TestApp } from '@kwik/testing';
import { AppModule } from '../src/app.module.js';

// The whole app on a throw-away database (migrated as in production); real sign-in, no guard overridden.
let t: TestApp;
let member: AuthTestUser;

beforeAll(async () => {
  t = await createTestApp(AppModule, { name: 'app', env: { LOG_LEVEL: 'silent' } });
  member = await createAuthTestUser(t, { roles: ['member'] });
});
afterAll(() => t?.close());

describe('the app', () => {
  it('is live, and ready once its database answers', async () => {
    (await t.client.get('/health/live')).expectStatus(200);
    const ready = (await t.client.get('/health/ready')).expectStatus(200);
    expect(ready.body.checks.database.status).toBe('up');
  });

  it('tells a signed-in user who they are', async () => {
    const me = (await t.client.getAs(member, '/api/auth/me')).expectStatus(200);
    expect(me.body).toMatchObject({ id: member.id, email: member.email, roles: ['member'] });
  });

  it('answers 401 to an anonymous call', async () => {
    (await t.client.get('/api/auth/me')).expectProblem(401);
  });

  it('registers a user with the default role', async () => {
    const email = \`new-\${Date.now().toString(36)}@example.test\`;
    const input = { email, password: 'correct horse battery staple', displayName: 'New user' };
    const res = (await t.client.post('/api/auth/register', input)).expectStatus(201);
    expect(res.body.accessToken).toEqual(expect.any(String));
    const me = (await t.client.getAs({ email, password: input.password }, '/api/auth/me')).expectStatus(200);
    expect(me.body.roles).toEqual(['member']);
  });

  it('serves its OpenAPI document', async () => {
    const docs = (await t.client.get('/docs/json')).expectStatus(200);
    expect(Object.keys(docs.body.paths)).toContain('/api/auth/login');
  });

  it('has migrations that create exactly what the entities declare', async () => {
    const pending = await t.get<DataSource>(DataSource).driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });
});
`;
}
