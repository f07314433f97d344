// Cache benchmark server (issue 6): the demo's stack (core, logging, database, data, auth, security,
// tenancy with row-level security) plus @kwik/cache on CACHE_STORE (memory | redis), serving tenant
// acme's shaped post list three ways through the same handler:
//   GET /api/posts           — @Cache({ vary: ['tenant', 'user'], tags: ['posts'] }): hits after the first
//   GET /api/posts/uncached  — no cache: the baseline of a miss
//   GET /api/posts/miss      — cached, but varying on X-Bench-Nonce (unique per request): every request misses
//   GET /api/posts/constant  — the same stack answering a constant object (no cache, no database)
// All three need a JWT with posts:read and X-Tenant-ID. Plain ESM: decorators are applied by hand.
// Env: PORT, HOST, DATABASE_URL, REDIS_URL, CACHE_STORE, APP_SECRET, LOG_LEVEL, KWIK_SEED.
import 'reflect-metadata';
import { Controller, Get, Inject, Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { createKwikApp } from '@kwik/core';
import { DataModule, Shape, ShapedLists } from '@kwik/data';
import { HasPermission } from '@kwik/auth';
import { SecurityModule } from '@kwik/security';
import { TenantContext } from '@kwik/tenant';
import { Cache, CacheModule } from '@kwik/cache';
import { Post } from '../../apps/demo/dist/entities/index.js';
import { PostShape } from '../../apps/demo/dist/posts/post.shape.js';
import { SeedService } from '../../apps/demo/dist/seed/seed.service.js';
import { coreModules, demoAuth, demoDatabase, demoTenancy, UNREACHED_TIER } from './demo-stack.mjs';

const store = process.env.CACHE_STORE ?? 'memory';
if (store !== 'memory' && store !== 'redis')
  throw new Error(`CACHE_STORE must be memory or redis, got ${store}`);

class BenchPostsController {
  constructor(lists, dataSource, tenants) {
    this.lists = lists;
    this.posts = dataSource.getRepository(Post);
    this.tenants = tenants;
  }

  page(query) {
    const tenantId = this.tenants.require().id;
    return this.lists.list(
      this.posts.createQueryBuilder('post').where('post.tenantId = :tenantId', { tenantId }),
      query,
    );
  }

  cached(query) {
    return this.page(query);
  }

  uncached(query) {
    return this.page(query);
  }

  miss(query) {
    return this.page(query);
  }

  /** The same stack (hooks, guards) answering a constant: the floor a hit is measured against. */
  constant() {
    return { data: [{ id: 'constant', title: 'no cache, no database' }], meta: { limit: 1 } };
  }
}
const proto = BenchPostsController.prototype;
const method = (name, ...decorators) => {
  let descriptor = Object.getOwnPropertyDescriptor(proto, name);
  for (const decorate of decorators) descriptor = decorate(proto, name, descriptor) ?? descriptor;
  Object.defineProperty(proto, name, descriptor);
};
for (const name of ['cached', 'uncached', 'miss']) Shape(PostShape)(proto, name, 0);
const read = HasPermission('posts:read');
method('cached', Get(), read, Cache({ ttl: '10m', vary: ['tenant', 'user'], tags: ['posts'] }));
method('uncached', Get('uncached'), read);
method('constant', Get('constant'), read);
method(
  'miss',
  Get('miss'),
  read,
  Cache({ ttl: '5s', vary: ['tenant', 'user', 'header:x-bench-nonce'], tags: ['posts'] }),
);
Inject(ShapedLists)(BenchPostsController, undefined, 0);
Inject(getDataSourceToken())(BenchPostsController, undefined, 1);
Inject(TenantContext)(BenchPostsController, undefined, 2);
Controller('api/posts')(BenchPostsController);

class BenchCacheApp {}
Module({
  imports: [
    ...coreModules('kwik-bench-cache'),
    demoDatabase(),
    DataModule.forRoot({}),
    demoAuth(),
    // Rate limits as the demo has them (in-process), far above what the run sends: checked, never refused.
    SecurityModule.forRoot({
      rateLimit: { store: 'memory', anonymous: UNREACHED_TIER, authenticated: UNREACHED_TIER },
    }),
    demoTenancy(),
    CacheModule.forRoot({ store, redis: { keyPrefix: `kwik-bench:cache:${process.pid}:` } }),
  ],
  controllers: [BenchPostsController],
  // The demo's seed (tenants, users, posts) runs on an empty database, as in the demo.
  providers: [SeedService],
})(BenchCacheApp);

const app = await createKwikApp(BenchCacheApp);
await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? '127.0.0.1' });
