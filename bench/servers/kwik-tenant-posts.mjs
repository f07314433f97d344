// Tenancy benchmark server (issue 5): a Kwik app with @kwik/data and @kwik/tenant (KWIK_TENANT_STRATEGY
// shared: row-level security, or schema: acme's posts in schema tenant_acme) on the demo's entities
// and database, serving tenant acme's shaped post list
//   GET /bench/posts?<query>                   — tenant-scoped: X-Tenant-ID resolves acme, every statement runs
//                                                as the app role with kwik.tenant_id set (RLS), tenant filter
//   GET /bench/posts/unscoped/:tenantId?<query> — @TenantOptional(), no tenant: the same query (the same
//                                                tenantId condition, taken from the path) as the owner role,
//                                                on public.posts (with the schema strategy the bench copies
//                                                acme's posts there into tenant_acme.posts)
// through the same handler code. Plain ESM: decorators are applied by hand.
// Env: PORT, HOST, DATABASE_URL, APP_SECRET, LOG_LEVEL, KWIK_SEED (the demo's seed on an empty database),
// KWIK_TENANT_STRATEGY (shared | schema).
import 'reflect-metadata';
import { Controller, Get, Inject, Module, Param } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { createKwikApp, TenantOptional } from '@kwik/core';
import { DataModule, Shape, ShapedLists } from '@kwik/data';
import { TenantContext } from '@kwik/tenant';
import { Post } from '../../apps/demo/dist/entities/index.js';
import { PostShape } from '../../apps/demo/dist/posts/post.shape.js';
import { SeedService } from '../../apps/demo/dist/seed/seed.service.js';
import { coreModules, demoDatabase, demoTenancy } from './demo-stack.mjs';

const strategy = process.env.KWIK_TENANT_STRATEGY ?? 'shared';
if (strategy !== 'shared' && strategy !== 'schema')
  throw new Error(`KWIK_TENANT_STRATEGY must be shared or schema, got ${strategy}`);

class BenchPostsController {
  constructor(lists, dataSource, tenants) {
    this.lists = lists;
    this.posts = dataSource.getRepository(Post);
    this.tenants = tenants;
  }

  page(tenantId, query) {
    return this.lists.list(
      this.posts.createQueryBuilder('post').where('post.tenantId = :tenantId', { tenantId }),
      query,
    );
  }

  scoped(query) {
    return this.page(this.tenants.require().id, query);
  }

  unscoped(tenantId, query) {
    return this.page(tenantId, query);
  }
}
const proto = BenchPostsController.prototype;
const method = (name, ...decorators) => {
  let descriptor = Object.getOwnPropertyDescriptor(proto, name);
  for (const decorate of decorators) descriptor = decorate(proto, name, descriptor) ?? descriptor;
  Object.defineProperty(proto, name, descriptor);
};
Shape(PostShape)(proto, 'scoped', 0);
Param('tenantId')(proto, 'unscoped', 0);
Shape(PostShape)(proto, 'unscoped', 1);
method('scoped', Get());
method('unscoped', Get('unscoped/:tenantId'), TenantOptional());
Inject(ShapedLists)(BenchPostsController, undefined, 0);
Inject(getDataSourceToken())(BenchPostsController, undefined, 1);
Inject(TenantContext)(BenchPostsController, undefined, 2);
Controller('bench/posts')(BenchPostsController);

class BenchTenantApp {}
Module({
  imports: [
    ...coreModules('kwik-bench-tenant'),
    demoDatabase(),
    DataModule.forRoot({}),
    demoTenancy(strategy, ['header']),
  ],
  controllers: [BenchPostsController],
  // The demo's seed (tenants, users, posts) runs on an empty database, as in the demo.
  providers: [SeedService],
})(BenchTenantApp);

const app = await createKwikApp(BenchTenantApp);
await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? '127.0.0.1' });
