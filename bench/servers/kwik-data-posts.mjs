// Data-shaping benchmark server (issue 3): the demo's posts list as a CRUD resource of @kwik/data
// — core, logging, database and data only, no auth, security, tenancy or cache — so that
// `bench:data` can report what the data library costs apart from the rest of the demo's stack:
//   GET /api/posts?<query>   tenant acme's posts (an explicit tenantId condition from a CRUD scope
//                            hook, the same SQL the hand-written endpoint runs), read-only
// Plain ESM: decorators are applied by hand. Env: PORT, HOST, DATABASE_URL, APP_SECRET, LOG_LEVEL.
import 'reflect-metadata';
import { Controller, Inject, Injectable, Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { createKwikApp } from '@kwik/core';
import { CrudController, CrudHooks, DataModule } from '@kwik/data';
import { Post } from '../../apps/demo/dist/entities/index.js';
import { PostShape } from '../../apps/demo/dist/posts/post.shape.js';
import { coreModules, demoDatabase } from './demo-stack.mjs';

const TENANT = 'acme';

class DataPostsController extends CrudController({
  entity: Post,
  shape: PostShape,
  alias: 'post',
  relations: ['author'],
  disable: ['create', 'update', 'delete', 'bulk'],
}) {}
Controller('api/posts')(DataPostsController);

/** Limits the resource to tenant acme, looked up once at boot (bench:data's database is seeded). */
class AcmeScope {
  constructor(hooks, dataSource) {
    this.hooks = hooks;
    this.dataSource = dataSource;
  }

  async onModuleInit() {
    const [row] = await this.dataSource.query('SELECT id FROM tenants WHERE slug = $1', [TENANT]);
    if (!row)
      throw new Error(`tenant "${TENANT}" not found: start the demo once on this database (bench:data does)`);
    this.hooks.register({
      name: 'bench:acme',
      scope: (qb) => qb.andWhere(`${qb.alias}.tenantId = :benchTenantId`, { benchTenantId: row.id }),
    });
  }
}
Injectable()(AcmeScope);
Reflect.defineMetadata('design:paramtypes', [CrudHooks, Object], AcmeScope);
Inject(getDataSourceToken())(AcmeScope, undefined, 1);

class DataPostsApp {}
Module({
  imports: [...coreModules('kwik-bench-data'), demoDatabase(), DataModule.forRoot({})],
  controllers: [DataPostsController],
  providers: [AcmeScope],
})(DataPostsApp);

const app = await createKwikApp(DataPostsApp);
await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? '127.0.0.1' });
