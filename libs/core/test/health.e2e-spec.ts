import { Injectable, Module, type CanActivate, type OnModuleInit } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createKwikApp, KwikModule, ReadinessRegistry, type KwikModuleOptions } from '@kwik/core';

@Injectable()
class FlakyDependency implements OnModuleInit {
  up = true;
  constructor(private readonly registry: ReadinessRegistry) {}
  onModuleInit(): void {
    this.registry.register({
      name: 'search',
      check: () => {
        if (!this.up) throw new Error('connection refused');
      },
    });
  }
}

async function boot(options: KwikModuleOptions): Promise<NestFastifyApplication> {
  @Module({ imports: [KwikModule.forRoot(options)], providers: [FlakyDependency] })
  class HealthTestModule {}
  return createKwikApp(HealthTestModule, { handleSignals: false, nest: { logger: false } });
}

describe('health', () => {
  let app: NestFastifyApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('live answers {"status":"ok"} with a request id', async () => {
    app = await boot({});
    const res = await app.inject('/health/live');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
    expect(res.headers['x-request-id']).toBeTruthy();
  });

  it('live answers even when a global guard rejects every Nest route', async () => {
    @Injectable()
    class DenyAll implements CanActivate {
      canActivate(): boolean {
        return false;
      }
    }
    @Module({
      imports: [KwikModule.forRoot({ docs: false })],
      providers: [{ provide: APP_GUARD, useClass: DenyAll }],
    })
    class GuardedModule {}
    app = await createKwikApp(GuardedModule, { handleSignals: false, nest: { logger: false } });
    expect((await app.inject('/health/live')).statusCode).toBe(200);
    expect((await app.inject('/health/ready')).statusCode).toBe(403);
  });

  it('ready checks registered dependencies and Redis, and names what is down', async () => {
    app = await boot({ redis: { url: 'redis://127.0.0.1:6379' } });
    const ok = await app.inject('/health/ready');
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      status: 'ok',
      checks: { redis: { status: 'up' }, search: { status: 'up' } },
    });

    app.get(FlakyDependency).up = false;
    const down = await app.inject('/health/ready');
    expect(down.statusCode).toBe(503);
    expect(down.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(down.json()).toMatchObject({
      type: 'https://kwik.dev/problems/service-unavailable',
      detail: 'Not ready: search (connection refused) is down.',
      checks: { redis: { status: 'up' }, search: { status: 'down' } },
    });
  });

  it('ready is 503 naming redis when Redis does not answer', async () => {
    app = await boot({ redis: { url: 'redis://127.0.0.1:1' }, readinessTimeoutMs: 500 });
    const res = await app.inject('/health/ready');
    expect(res.statusCode).toBe(503);
    expect(res.json().detail).toMatch(/^Not ready: redis/);
  });

  it('ready turns 503 once the app is draining', async () => {
    app = await boot({});
    app.get(ReadinessRegistry).markDraining();
    const res = await app.inject('/health/ready');
    expect(res.statusCode).toBe(503);
    expect(res.json().detail).toBe('The application is shutting down.');
  });

  it('answers requests arriving while the server closes with a 503 problem and Connection: close', async () => {
    app = await boot({ problemTypeBase: 'https://errors.example.com/' });
    app.get(ReadinessRegistry).markClosing();
    const res = await app.inject({ url: '/health/live', headers: { 'x-request-id': 'late-1' } });
    expect(res.statusCode).toBe(503);
    expect(res.headers).toMatchObject({ connection: 'close', 'x-request-id': 'late-1', 'retry-after': '5' });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({
      type: 'https://errors.example.com/service-unavailable',
      status: 503,
      instance: '/health/live',
      requestId: 'late-1',
    });
  });

  it('serves the OpenAPI 3.1 document and UI under /docs', async () => {
    app = await boot({ docs: { title: 'Test API', version: '9.9.9' } });
    const json = await app.inject('/docs/json');
    expect(json.statusCode).toBe(200);
    expect(json.json()).toMatchObject({ openapi: '3.1.0', info: { title: 'Test API', version: '9.9.9' } });
    expect(Object.keys(json.json().paths)).toEqual(expect.arrayContaining(['/health/live', '/health/ready']));
    const ui = await app.inject('/docs');
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toMatch(/text\/html/);
  });

  it('docs: false serves no document', async () => {
    app = await boot({ docs: false });
    expect((await app.inject('/docs/json')).statusCode).toBe(404);
  });
});
