// Auth benchmark server (issue 4): a Kwik app with @kwik/auth (and, with RATE_LIMIT=redis,
// @kwik/security's rate limiting on Redis) serving one post two ways through the same handler:
//   GET /bench/posts/:id         — authenticated (JWT or API key) + @HasPermission('posts:read')
//   GET /bench/posts/public/:id  — the same handler, @Public()
// on the demo's entities and database (migrated at start). Plain ESM: decorators are applied by
// hand. Env: PORT, HOST, DATABASE_URL, REDIS_URL, APP_SECRET, RATE_LIMIT (off | redis), LOG_LEVEL,
// KWIK_SEED (the demo's seed on an empty database).
import 'reflect-metadata';
import { Controller, Get, Inject, Module, Param } from '@nestjs/common';
import { createKwikApp } from '@kwik/core';
import { TransactionManager } from '@kwik/database';
import { HasPermission, Public } from '@kwik/auth';
import { SecurityModule } from '@kwik/security';
import { Post } from '../../apps/demo/dist/entities/index.js';
import { SeedService } from '../../apps/demo/dist/seed/seed.service.js';
import { coreModules, demoAuth, demoDatabase, UNREACHED_TIER } from './demo-stack.mjs';

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

const imports = [...coreModules('kwik-bench-auth'), demoDatabase(), demoAuth()];
if (rateLimit !== 'off' && rateLimit !== 'redis')
  throw new Error(`RATE_LIMIT must be off or redis, got ${rateLimit}`);
// Both servers have the security library (headers, timeouts); they differ only in rate limiting.
// Its limits are far above what the run can send: every request is checked in Redis, none refused.
imports.push(
  SecurityModule.forRoot({
    rateLimit:
      rateLimit === 'redis'
        ? { store: 'redis', anonymous: UNREACHED_TIER, authenticated: UNREACHED_TIER }
        : false,
  }),
);

class BenchAuthApp {}
// The demo's seed (tenants, users, posts) runs on an empty database, as in the demo.
Module({ imports, controllers: [BenchPostsController], providers: [SeedService] })(BenchAuthApp);

const app = await createKwikApp(BenchAuthApp);
await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? '127.0.0.1' });
