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
import { LoggingModule } from '@kwik/logging';
import { DatabaseModule } from '@kwik/database';
import { DataModule } from '@kwik/data';
import { AuthModule, HasPermission } from '@kwik/auth';
import { SecurityModule } from '@kwik/security';
import { TenantModule } from '@kwik/tenant';
import { CacheModule } from '@kwik/cache';
import { DEMO_ENTITIES, Tenant, User } from '../../apps/demo/dist/entities/index.js';
import { DEMO_MIGRATIONS } from '../../apps/demo/dist/migrations/index.js';
import { DEMO_TENANT_MIGRATIONS } from '../../apps/demo/dist/migrations/tenant/index.js';
import { DEMO_ROLES_PERMISSIONS } from '../../apps/demo/dist/auth/demo-roles.js';
import { DemoConfig } from '../../apps/demo/dist/config/demo-config.js';
import { SeedService } from '../../apps/demo/dist/seed/seed.service.js';

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

// Rate limits as the demo has them (in-process), far above what the run sends: checked, never refused.
const tier = { limit: 100_000_000, window: '1m' };

class FloorApp {}
Module({
  imports: [
    KwikModule.forRoot({ config: DemoConfig, docs: false }),
    has('logging') && LoggingModule.forRoot({ base: { service: 'kwik-bench-floor' } }),
    DatabaseModule.forRoot({
      url: process.env.DATABASE_URL,
      entities: DEMO_ENTITIES,
      migrations: DEMO_MIGRATIONS,
      migrationsRun: true,
      synchronize: false,
    }),
    DataModule.forRoot({}),
    has('auth') && AuthModule.forRoot({ userEntity: User, roles: DEMO_ROLES_PERMISSIONS, path: 'api/auth' }),
    has('security') &&
      SecurityModule.forRoot({ rateLimit: { store: 'memory', anonymous: tier, authenticated: tier } }),
    has('tenant') &&
      TenantModule.forRoot({
        tenantEntity: Tenant,
        strategy: 'shared',
        resolvers: ['header', 'token'],
        schema: { migrations: DEMO_TENANT_MIGRATIONS },
        adminPath: false,
      }),
    has('cache') && CacheModule.forRoot({ store: 'memory' }),
  ].filter(Boolean),
  controllers: [FloorController],
  // The demo's seed (tenants, users) runs on an empty database, as in the demo.
  providers: [SeedService],
})(FloorApp);

const app = await createKwikApp(FloorApp);
await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? '127.0.0.1' });
