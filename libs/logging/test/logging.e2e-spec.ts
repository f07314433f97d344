import { Body, Controller, Get, Logger, Module, Post, UseGuards } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createKwikApp, KwikModule } from '@kwik/core';
import { LoggingModule } from '@kwik/logging';
import { FakeAuthGuard, ThingsController } from '../../core/test/fixtures/core-test.module.js';

type Line = Record<string, unknown>;

@Controller('secrets')
class SecretsController {
  private readonly logger = new Logger('Secrets');
  @Post()
  store(@Body() body: Record<string, unknown>): { ok: true } {
    this.logger.log({ msg: 'storing', body, headers: { authorization: 'Bearer abc', cookie: 'sid=1' } });
    return { ok: true };
  }
  @Get(':id')
  @UseGuards(FakeAuthGuard)
  read(): { ok: true } {
    return { ok: true };
  }
}

describe('LoggingModule', () => {
  const lines: Line[] = [];
  const destination = { write: (s: string) => void lines.push(JSON.parse(s) as Line) };
  let app: NestFastifyApplication;

  beforeAll(async () => {
    @Module({
      imports: [KwikModule.forRoot({ docs: false }), LoggingModule.forRoot({ destination, level: 'info' })],
      controllers: [ThingsController, SecretsController],
      providers: [FakeAuthGuard],
    })
    class LogTestModule {}
    app = await createKwikApp(LogTestModule, { handleSignals: false });
  });
  afterAll(() => app.close());
  beforeEach(() => void lines.splice(0));

  const byRequest = (id: string) => lines.filter((l) => l.requestId === id);

  it('echoes a sane incoming X-Request-Id and stamps it on every line of the request', async () => {
    const res = await app.inject({ url: '/things/whoami', headers: { 'x-request-id': 'trace-abc.123' } });
    expect(res.headers['x-request-id']).toBe('trace-abc.123');
    const mine = byRequest('trace-abc.123');
    expect(mine.map((l) => l.msg)).toEqual(['inside handler', 'request completed']);
  });

  it.each([['bad id with spaces'], ['x'.repeat(200)], ['evil\\n{"level":"fatal"}']])(
    'replaces an insane incoming id (%s) with a UUID',
    async (incoming) => {
      const res = await app.inject({ url: '/health/live', headers: { 'x-request-id': incoming } });
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    },
  );

  it('carries userId and tenantId written by a guard on later lines and in the context', async () => {
    const res = await app.inject({ url: '/things/whoami', headers: { 'x-request-id': 'guarded-1' } });
    expect(res.json()).toMatchObject({ requestId: 'guarded-1', userId: 'user-42', tenantId: 'tenant-7' });
    expect(res.json().snapshot).toMatchObject({ principal: { id: 'user-42' }, tenant: { slug: 'acme' } });
    expect(byRequest('guarded-1')).toHaveLength(2);
    for (const line of byRequest('guarded-1')) {
      expect(line).toMatchObject({ userId: 'user-42', tenantId: 'tenant-7', ip: '127.0.0.1' });
    }
  });

  it('writes one completion line with the route template, status and duration', async () => {
    await app.inject({ url: '/secrets/12345?q=private', headers: { 'x-request-id': 'route-1' } });
    const done = byRequest('route-1').filter((l) => l.msg === 'request completed');
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({
      method: 'GET',
      route: '/secrets/:id',
      status: 200,
      level: 'info',
      userId: 'user-42',
    });
    expect(typeof done[0]!.durationMs).toBe('number');
    expect(JSON.stringify(done[0])).not.toContain('12345');
  });

  it('redacts authorization, cookies, passwords and tokens', async () => {
    await app.inject({
      method: 'POST',
      url: '/secrets',
      headers: { 'x-request-id': 'redact-1', authorization: 'Bearer top' },
      payload: {
        password: 'hunter2',
        token: 'tok',
        authorization: 'Basic zzz',
        nested: { refreshToken: 'rt', apiKey: 'k-123' },
        keep: 'visible',
      },
    });
    const text = JSON.stringify(byRequest('redact-1'));
    expect(text).toContain('visible');
    expect(text).not.toMatch(/hunter2|"tok"|"rt"|Bearer|sid=1|Basic zzz|k-123/);
    expect(text).toContain('[redacted]');
  });

  it('logs an unhandled error once with the request id, at error level', async () => {
    const res = await app.inject({ url: '/things/boom', headers: { 'x-request-id': 'boom-1' } });
    expect(res.statusCode).toBe(500);
    const errors = byRequest('boom-1').filter((l) => l.level === 'error');
    expect(errors.map((l) => l.msg)).toEqual([
      expect.stringContaining('secret internal detail'),
      'request completed',
    ]);
  });
});
