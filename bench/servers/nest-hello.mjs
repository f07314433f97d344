// Bare NestJS 12 on Fastify baseline: one controller, GET / -> {"hello":"world"} (and GET /bytes/:n).
// Plain JS, so the decorators are applied by hand instead of with `@` syntax.
import 'reflect-metadata';
import { Controller, Get, Header, Module, Param } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';

// GET /bytes/:n -> a JSON body of about n bytes (the same size as a page another server sends), so a
// benchmark can tell transfer cost from framework cost.
const bodies = new Map();
function bodyOf(n) {
  let body = bodies.get(n);
  if (body === undefined) {
    body = JSON.stringify({ data: 'x'.repeat(Math.max(0, Math.min(n, 1_000_000) - 11)) });
    bodies.set(n, body);
  }
  return body;
}

class HelloController {
  hello() {
    return { hello: 'world' };
  }

  bytes(n) {
    return bodyOf(Number(n) || 0);
  }
}
const proto = HelloController.prototype;
Get()(proto, 'hello', Object.getOwnPropertyDescriptor(proto, 'hello'));
Param('n')(proto, 'bytes', 0);
Header('content-type', 'application/json; charset=utf-8')(
  proto,
  'bytes',
  Object.getOwnPropertyDescriptor(proto, 'bytes'),
);
Get('bytes/:n')(proto, 'bytes', Object.getOwnPropertyDescriptor(proto, 'bytes'));
Controller()(HelloController);

class AppModule {}
Module({ controllers: [HelloController] })(AppModule);

const app = await NestFactory.create(AppModule, new FastifyAdapter(), { logger: false });
await app.listen(port, host);
