// Bare NestJS 12 on Fastify baseline: one controller, GET / -> {"hello":"world"}.
// Plain JS, so the decorators are applied by hand instead of with `@` syntax.
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';

class HelloController {
  hello() {
    return { hello: 'world' };
  }
}
const proto = HelloController.prototype;
Get()(proto, 'hello', Object.getOwnPropertyDescriptor(proto, 'hello'));
Controller()(HelloController);

class AppModule {}
Module({ controllers: [HelloController] })(AppModule);

const app = await NestFactory.create(AppModule, new FastifyAdapter(), { logger: false });
await app.listen(port, host);
