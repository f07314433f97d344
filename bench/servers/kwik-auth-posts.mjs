// Auth benchmark server (issue 4): a Kwik app with @kwik/auth (and, with RATE_LIMIT=redis,
// @kwik/security's rate limiting on Redis) serving one post two ways through the same handler:
//   GET /bench/posts/:id         — authenticated (JWT or API key) + @HasPermission('posts:read')
//   GET /bench/posts/public/:id  — the same handler, @Public()
// on the demo's entities and database (migrated at start). Plain ESM: decorators are applied by
// hand. Env: PORT, HOST, DATABASE_URL, REDIS_URL, APP_SECRET, RATE_LIMIT (off | redis), LOG_LEVEL,
// KWIK_SEED (the demo's seed on an empty database).
import 'reflect-metadata';
import { Controller, Get, Inject, Module, Param } from '@nestjs/common';
import { createKwikApp, KwikModule } from '@kwik/core';
import { LoggingModule } from '@kwik/logging';
import { DatabaseModule, TransactionManager } from '@kwik/database';
import { AuthModule, HasPermission, Public } from '@kwik/auth';
import { SecurityModule } from '@kwik/security';
import { DEMO_ENTITIES, Post, User } from '../../apps/demo/dist/entities/index.js';
import { DEMO_MIGRATIONS } from '../../apps/demo/dist/migrations/index.js';
import { DEMO_ROLES_PERMISSIONS } from '../../apps/demo/dist/auth/demo-roles.js';
import { DemoConfig } from '../../apps/demo/dist/config/demo-config.js';
import { SeedService } from '../../apps/demo/dist/seed/seed.service.js';

const rateLimit = process.env.RATE_LIMIT ?? 'off';

class BenchPostsController {
  constructor(tx) {
    this.tx = tx;
  }

  /** The post with its author, as GET /api/posts/:id reads it. */
  read(id) {
    return this.tx.getRepository(Post).findOne({ where: { id }, relations: { author: true } });
  }

  authed(id) {
    return this.read(id);
  }

  open(id) {
    return this.read(id);
  }
}
const proto = BenchPostsController.prototype;
const method = (name, ...decorators) => {
  let descriptor = Object.getOwnPropertyDescriptor(proto, name);
  for (const decorate of decorators) descriptor = decorate(proto, name, descriptor) ?? descriptor;
  Object.defineProperty(proto, name, descriptor);
};
Param('id')(proto, 'authed', 0);
Param('id')(proto, 'open', 0);
method('authed', Get(':id'), HasPermission('posts:read'));
method('open', Get('public/:id'), Public());
Inject(TransactionManager)(BenchPostsController, undefined, 0);
Controller('bench/posts')(BenchPostsController);

const imports = [
  KwikModule.forRoot({ config: DemoConfig, docs: false }),
  LoggingModule.forRoot({ base: { service: 'kwik-bench-auth' } }),
  DatabaseModule.forRoot({
    url: process.env.DATABASE_URL,
    entities: DEMO_ENTITIES,
    migrations: DEMO_MIGRATIONS,
    migrationsRun: true,
    synchronize: false,
  }),
  AuthModule.forRoot({ userEntity: User, roles: DEMO_ROLES_PERMISSIONS, path: 'api/auth' }),
];
if (rateLimit !== 'off' && rateLimit !== 'redis')
  throw new Error(`RATE_LIMIT must be off or redis, got ${rateLimit}`);
// Both servers have the security library (headers, timeouts); they differ only in rate limiting.
// Its limits are far above what the run can send: every request is checked in Redis, none refused.
const tier = { limit: 100_000_000, window: '1m' };
imports.push(
  SecurityModule.forRoot({
    rateLimit: rateLimit === 'redis' ? { store: 'redis', anonymous: tier, authenticated: tier } : false,
  }),
);

class BenchAuthApp {}
// The demo's seed (tenants, users, posts) runs on an empty database, as in the demo.
Module({ imports, controllers: [BenchPostsController], providers: [SeedService] })(BenchAuthApp);

const app = await createKwikApp(BenchAuthApp);
await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? '127.0.0.1' });
