// Floor benchmark server: the demo's stack (core, logging, database, data, auth, security with
// in-process rate limits, tenancy with row-level security, cache) answering without any data
// shaping — two routes without database work, so that what each library costs per request can be
// measured by leaving it out, and one running a hand-written query:
//   GET /health/live          Kwik's Fastify hooks only (no Nest pipeline)
//   GET /api/floor/constant   a constant through Nest with @HasPermission('posts:read') (every global guard)
//   GET /api/floor/posts?limit=N  as /api/floor/constant, but running bench:data's hand-written SQL
//                             (tenant acme's published posts, bench/lib/data-sql.mjs) as one named
//                             statement on the app's pool — under row-level security when tenancy is
//                             on — and answering the baseline's JSON: the stack without the data library
// KWIK_FLOOR_WITHOUT=logging,auth,security,tenant,cache leaves those modules out (without auth the
// route has no permission check). Env: PORT, HOST, DATABASE_URL, APP_SECRET, LOG_LEVEL, and two of the
// demo's own: RATE_LIMIT_ANONYMOUS=0 with RATE_LIMIT_AUTHENTICATED=0 (rate limits off) and
// KWIK_CACHE=false (the cache a pass-through), so that bench:data can run this stack configured as the demo.
import 'reflect-metadata';
import { Controller, Get, Inject, Module, Query } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { createKwikApp, KwikModule } from '@kwik/core';
import { DataModule } from '@kwik/data';
import { HasPermission } from '@kwik/auth';
import { SecurityModule } from '@kwik/security';
import { CacheModule } from '@kwik/cache';
import { firstPostsPage } from '../lib/data-sql.mjs';
import { DemoConfig } from '../../apps/demo/dist/config/demo-config.js';
import { SeedService } from '../../apps/demo/dist/seed/seed.service.js';
import { coreModules, demoAuth, demoDatabase, demoTenancy, UNREACHED_TIER } from './demo-stack.mjs';

const LIBRARIES = ['logging', 'auth', 'security', 'tenant', 'cache'];
const without = new Set((process.env.KWIK_FLOOR_WITHOUT ?? '').split(',').filter(Boolean));
for (const name of without)
  if (!LIBRARIES.includes(name))
    throw new Error(`KWIK_FLOOR_WITHOUT: unknown library "${name}" (one of ${LIBRARIES.join(', ')})`);
const has = (name) => !without.has(name);
const demoRateLimitsOff =
  process.env.RATE_LIMIT_ANONYMOUS === '0' && process.env.RATE_LIMIT_AUTHENTICATED === '0';

class FloorController {
  constructor(dataSource) {
    this.dataSource = dataSource;
    this.tenantId = undefined;
  }

  async onModuleInit() {
    // bench:floor's database may have no posts (nor, before the seed, tenants): the route then answers empty pages.
    const [row] = await this.dataSource.query(`SELECT id FROM tenants WHERE slug = 'acme'`);
    this.tenantId = row?.id ?? '00000000-0000-0000-0000-000000000000';
  }

  constant() {
    return { data: [{ id: 'constant', title: 'no cache, no database' }], meta: { limit: 1 } };
  }

  /** As bench/servers/nest-pg-posts.mjs, on the app's pool (the session prefix of row-level security included). */
  posts(query) {
    return firstPostsPage(this.dataSource.driver.master, this.tenantId, query.limit);
  }
}
const proto = FloorController.prototype;
Query()(proto, 'posts', 0);
for (const [method, path] of [
  ['constant', 'constant'],
  ['posts', 'posts'],
]) {
  let descriptor = Object.getOwnPropertyDescriptor(proto, method);
  for (const decorate of [Get(path), ...(has('auth') ? [HasPermission('posts:read')] : [])])
    descriptor = decorate(proto, method, descriptor) ?? descriptor;
  Object.defineProperty(proto, method, descriptor);
}
Reflect.defineMetadata('design:paramtypes', [Object], FloorController);
Inject(getDataSourceToken())(FloorController, undefined, 0);
Controller('api/floor')(FloorController);

class FloorApp {}
Module({
  imports: [
    // Core alone when logging is left out; the demo's config and service name otherwise.
    ...(has('logging')
      ? coreModules('kwik-bench-floor')
      : [KwikModule.forRoot({ config: DemoConfig, docs: false })]),
    demoDatabase(),
    DataModule.forRoot({}),
    has('auth') && demoAuth(),
    // Rate limits as the demo has them (in-process), far above what the run sends; off as in the demo
    // when both of the demo's limits are 0 (bench:data starts the demo and this server that way).
    has('security') &&
      SecurityModule.forRoot({
        rateLimit: demoRateLimitsOff
          ? false
          : { store: 'memory', anonymous: UNREACHED_TIER, authenticated: UNREACHED_TIER },
      }),
    has('tenant') && demoTenancy(),
    // KWIK_CACHE=false: every @Cache() a pass-through, as in the demo.
    has('cache') && CacheModule.forRoot({ store: 'memory', enabled: process.env.KWIK_CACHE !== 'false' }),
  ].filter(Boolean),
  controllers: [FloorController],
  // The demo's seed (tenants, users) runs on an empty database, as in the demo.
  providers: [SeedService],
})(FloorApp);

const app = await createKwikApp(FloorApp);
await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? '127.0.0.1' });
