import { Module } from '@nestjs/common';
import { AuthModule } from '@kwik/auth';
import { CacheModule } from '@kwik/cache';
import { KwikModule } from '@kwik/core';
import { DataModule } from '@kwik/data';
import { SecurityModule } from '@kwik/security';
import { TasksModule } from '@kwik/tasks';
import { TenantModule } from '@kwik/tenant';
import { VersioningModule } from '@kwik/versioning';
import { DatabaseModule } from '@kwik/database';
import { LoggingModule } from '@kwik/logging';
import { DEMO_ROLES_PERMISSIONS } from './auth/demo-roles.js';
import { DemoConfig } from './config/demo-config.js';
import { User } from './entities/index.js';
import { demoDatabaseOptions } from './database.options.js';
import { demoSecurityOptions } from './security.options.js';
import { demoTenantOptions } from './tenancy.options.js';
import { demoTasksOptions } from './tasks.options.js';
import { PostsModule } from './posts/posts.module.js';
import { ContentReplacesBody } from './posts/content-replaces-body.change.js';
import { SeedService } from './seed/seed.service.js';
import { DemoTasksModule } from './tasks/demo-tasks.module.js';
import { ProductsModule } from './products/products.module.js';

/** The Kwik demo: a multi-tenant publishing platform (see shared DEMO.md). */
@Module({
  imports: [
    KwikModule.forRoot({
      config: DemoConfig,
      docs: {
        title: 'Kwik demo API',
        description: 'A multi-tenant publishing platform built with Kwik',
        version: '1.0.0',
      },
    }),
    LoggingModule.forRoot({ base: { service: 'kwik-demo' } }),
    DatabaseModule.forRootAsync({ inject: [DemoConfig], useFactory: demoDatabaseOptions }),
    DataModule.forRoot({}),
    AuthModule.forRoot({
      userEntity: User,
      roles: DEMO_ROLES_PERMISSIONS,
      defaultRoles: ['reader'],
      path: 'api/auth',
    }),
    SecurityModule.forRootAsync({ inject: [DemoConfig], useFactory: demoSecurityOptions }),
    TenantModule.forRootAsync({
      inject: [DemoConfig],
      useFactory: demoTenantOptions,
      adminPath: 'api/tenants',
    }),
    // Redis when REDIS_URL is set (shared by every instance), a bounded in-process LRU otherwise;
    // KWIK_CACHE=false makes every @Cache() a pass-through (bench:data measures the shaped list itself).
    CacheModule.forRootAsync({
      inject: [DemoConfig],
      useFactory: (config: DemoConfig) => ({ defaultTtl: '30s', enabled: config.KWIK_CACHE }),
    }),
    // v1 (the default, deprecated) and v2 (`Accept: application/vnd.kwik.v2+json`): controllers are
    // written for v2; v1 is served through ContentReplacesBody.
    VersioningModule.forRoot({
      type: 'media-type',
      vendor: 'kwik',
      versions: ['1', '2'],
      defaultVersion: '1',
      changes: [ContentReplacesBody],
      deprecated: { '1': { since: '2026-12-01', sunset: '2027-06-30', link: '/docs/migrations/v2' } },
    }),
    // Background tasks on the demo's own database (embedded or server): `mail.welcome` on
    // register, the nightly `posts.archive-drafts` cron, the operations API at /_kwik/tasks.
    TasksModule.forRootAsync({ inject: [DemoConfig], useFactory: demoTasksOptions }),
    PostsModule,
    DemoTasksModule,
    ProductsModule,
  ],
  providers: [SeedService],
})
export class AppModule {}
