// Reference for the data-shaping benchmark: bare NestJS 12 on Fastify serving the same SQL as
// pg-posts.mjs (first page only) through one controller, with no Kwik library — how much of the
// gap between Kwik and hand-written Fastify is NestJS's own request pipeline.
// Env: PORT, HOST, DATABASE_URL. GET /posts?limit=20 -> the same JSON as pg-posts.mjs.
import 'reflect-metadata';
import { Controller, Get, Module, Query } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Pool } from 'pg';
import { firstPostsPage } from '../lib/data-sql.mjs';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const { rows: tenants } = await pool.query(`SELECT id FROM tenants WHERE slug = 'acme'`);
const tenantId = tenants[0].id;

class PostsController {
  list(query) {
    return firstPostsPage(pool, tenantId, query.limit);
  }
}
const proto = PostsController.prototype;
Query()(proto, 'list', 0);
Get()(proto, 'list', Object.getOwnPropertyDescriptor(proto, 'list'));
Controller('posts')(PostsController);

class AppModule {}
Module({ controllers: [PostsController] })(AppModule);

const app = await NestFactory.create(AppModule, new FastifyAdapter(), { logger: false });
await app.listen(port, host);
