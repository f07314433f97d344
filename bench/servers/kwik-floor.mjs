// Floor benchmark server: the demo's stack (core, logging, database, data, auth, security with
// in-process rate limits, tenancy with row-level security, cache) answering without any database
// work, so that what each library costs per request can be measured by leaving it out:
//   GET /health/live          Kwik's Fastify hooks only (no Nest pipeline)
//   GET /api/floor/constant   a constant through Nest with @HasPermission('posts:read') (every global guard)
// KWIK_FLOOR_WITHOUT=logging,auth,security,tenant,cache leaves those modules out (without auth the
// route has no permission check). Env: PORT, HOST, DATABASE_URL, APP_SECRET, LOG_LEVEL.
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { createKwikApp, KwikModule } from '@kwik/core';
import { DataModule } from '@kwik/data';
import { HasPermission } from '@kwik/auth';
import { SecurityModule } from '@kwik/security';
import { CacheModule } from '@kwik/cache';
import { DemoConfig } from '../../apps/demo/dist/config/demo-config.js';
import { SeedService } from '../../apps/demo/dist/seed/seed.service.js';
import { coreModules, demoAuth, demoDatabase, demoTenancy, UNREACHED_TIER } from './demo-stack.mjs';

const LIBRARIES = ['logging', 'auth', 'security', 'tenant', 'cache'];
const without = new Set((process.env.KWIK_FLOOR_WITHOUT ?? '').split(',').filter(Boolean));
for (const name of without)
  if (!LIBRARIES.includes(name))
    throw new Error(`KWIK_FLOOR_WITHOUT: unknown library "${name}" (one of ${LIBRARIES.join(', ')})`);
const has = (name) => !without.has(name);

class FloorController {
  constant() {
    return { data: [{ id: 'constant', title: 'no cache, no database' }], meta: { limit: 1 } };
  }
}
const proto = FloorController.prototype;
let descriptor = Object.getOwnPropertyDescriptor(proto, 'constant');
for (const decorate of [Get('constant'), ...(has('auth') ? [HasPermission('posts:read')] : [])])
  descriptor = decorate(proto, 'constant', descriptor) ?? descriptor;
Object.defineProperty(proto, 'constant', descriptor);
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
    // Rate limits as the demo has them (in-process), far above what the run sends.
    has('security') &&
      SecurityModule.forRoot({
        rateLimit: { store: 'memory', anonymous: UNREACHED_TIER, authenticated: UNREACHED_TIER },
      }),
    has('tenant') && demoTenancy(),
    has('cache') && CacheModule.forRoot({ store: 'memory' }),
  ].filter(Boolean),
  controllers: [FloorController],
  // The demo's seed (tenants, users) runs on an empty database, as in the demo.
  providers: [SeedService],
})(FloorApp);

const app = await createKwikApp(FloorApp);
await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? '127.0.0.1' });
