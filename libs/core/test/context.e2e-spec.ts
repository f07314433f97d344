import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import { KwikConfig, KwikError, KwikModule, RequestContext, createKwikApp } from '@kwik/core';
import { IsString } from 'class-validator';

describe('request context outside HTTP', () => {
  it('captures a context and restores it in another async flow', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [KwikModule.forRoot()] }).compile();
    const ctx = moduleRef.get(RequestContext);
    expect(ctx.active).toBe(false);
    expect(() => ctx.setTenant({ id: 't' })).toThrow(/KWIK_CONTEXT_INACTIVE.*outside a request context/);

    const snapshot = ctx.run({ requestId: 'job-1' }, () => {
      ctx.setPrincipal({ id: 'u1', roles: ['admin'] });
      ctx.setTenant({ id: 't1', slug: 'acme' });
      ctx.set('kwik:tasks:attempt', 2);
      return ctx.capture();
    });
    expect(snapshot).toEqual({
      requestId: 'job-1',
      ip: undefined,
      principal: { id: 'u1', roles: ['admin'] },
      tenant: { id: 't1', slug: 'acme' },
      apiVersion: undefined,
      extras: { 'kwik:tasks:attempt': 2 },
    });

    const restored = await ctx.run(snapshot, async () => {
      await new Promise((r) => setTimeout(r, 5));
      return { ...ctx.logFields(), attempt: ctx.get('kwik:tasks:attempt') };
    });
    expect(restored).toEqual({ requestId: 'job-1', userId: 'u1', tenantId: 't1', attempt: 2 });
    expect(ctx.run({}, () => ctx.requestId)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('carries the job a context runs onto every log line and into a capture', () => {
    const moduleRef = Test.createTestingModule({ imports: [KwikModule.forRoot()] }).compile();
    return moduleRef.then((ref) => {
      const ctx = ref.get(RequestContext);
      const seen = ctx.run({ requestId: 'req-9', jobId: '42' }, () => ({
        jobId: ctx.jobId,
        fields: ctx.logFields(),
        snapshot: ctx.capture(),
      }));
      expect(seen.jobId).toBe('42');
      expect(seen.fields).toEqual({ requestId: 'req-9', jobId: '42' });
      expect(seen.snapshot).toMatchObject({ requestId: 'req-9', jobId: '42' });
      // Outside a job: no jobId key at all.
      expect(ctx.run({ requestId: 'req-10' }, () => [ctx.jobId, ctx.logFields(), ctx.capture()])).toEqual([
        undefined,
        { requestId: 'req-10' },
        {
          requestId: 'req-10',
          ip: undefined,
          principal: undefined,
          tenant: undefined,
          apiVersion: undefined,
        },
      ]);
    });
  });
});

describe('configuration at boot', () => {
  class AppConfig extends KwikConfig {
    @IsString({ message: 'is required' }) API_SECRET!: string;
  }

  it('stops the boot with one message listing every problem', async () => {
    @Module({ imports: [KwikModule.forRoot({ config: AppConfig })] })
    class BadConfigModule {}
    const saved = { PORT: process.env.PORT, API_SECRET: process.env.API_SECRET };
    process.env.PORT = 'not-a-port';
    delete process.env.API_SECRET;
    try {
      await expect(
        createKwikApp(BadConfigModule, { handleSignals: false, nest: { logger: false } }),
      ).rejects.toThrow(KwikError);
      await expect(
        createKwikApp(BadConfigModule, { handleSignals: false, nest: { logger: false } }),
      ).rejects.toThrow(
        /2 environment variables to fix\.\n {2}- API_SECRET: is required \(it is not set\)\n {2}- PORT: must be an integer between 0 and 65535 \(got "not-a-port"\)/,
      );
    } finally {
      for (const [k, v] of Object.entries(saved))
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    }
  });

  it('reads a .env file beneath the real environment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kwik-env-'));
    const envFile = join(dir, '.env');
    writeFileSync(envFile, 'API_SECRET=from-file\nPORT=4321\nLOG_LEVEL=debug\n');
    process.env.LOG_LEVEL = 'warn';
    try {
      const moduleRef = await Test.createTestingModule({
        imports: [KwikModule.forRoot({ config: AppConfig, envFile })],
      }).compile();
      expect(moduleRef.get(AppConfig)).toMatchObject({
        API_SECRET: 'from-file',
        PORT: 4321,
        LOG_LEVEL: 'warn',
      });
    } finally {
      delete process.env.LOG_LEVEL;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('injects the validated config by its class and as KwikConfig', async () => {
    process.env.API_SECRET = 's3cret';
    try {
      const moduleRef = await Test.createTestingModule({
        imports: [KwikModule.forRoot({ config: AppConfig })],
      }).compile();
      expect(moduleRef.get(AppConfig).API_SECRET).toBe('s3cret');
      expect(moduleRef.get(KwikConfig)).toBe(moduleRef.get(AppConfig));
    } finally {
      delete process.env.API_SECRET;
    }
  });
});
