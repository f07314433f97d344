import { Controller, Get, Injectable, Module, type ExecutionContext } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKwikApp, KwikError, KwikModule } from '@kwik/core';
import {
  RateLimitGuard,
  SecurityModule,
  type ResolvedRateLimitPolicy,
  type SecurityModuleOptions,
} from '@kwik/security';
import { bootSecurityApp, type BootedApp } from './fixtures/boot.js';

/** Boots an app with `SecurityModule` and returns what the boot threw (`undefined`: it booted). */
async function bootRejection(security: ReturnType<typeof SecurityModule.forRoot>): Promise<unknown> {
  @Module({ imports: [KwikModule.forRoot({ envFile: false }), security] })
  class AppModule {}
  try {
    const app = await createKwikApp(AppModule, { handleSignals: false, nest: { logger: false } });
    await app.close();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** The KwikError a boot fails with. */
async function bootError(security: ReturnType<typeof SecurityModule.forRoot>): Promise<KwikError> {
  const error = await bootRejection(security);
  expect(error).toBeInstanceOf(KwikError);
  return error as KwikError;
}

describe('booting SecurityModule', () => {
  it('bad options fail the boot with KWIK_SECURITY_INVALID_OPTIONS listing every problem', async () => {
    const error = await bootError(
      SecurityModule.forRoot({
        requestTimeout: -5,
        cors: { origins: '*', credentials: true },
        rateLimit: { anonymous: { window: '90ms' } },
      } as unknown as SecurityModuleOptions),
    );
    expect(error.code).toBe('KWIK_SECURITY_INVALID_OPTIONS');
    expect(error.message.split('\n- ').slice(1)).toEqual([
      'requestTimeout must be whole milliseconds ≥ 0 (0 disables), got -5.',
      expect.stringMatching(/^cors\.origins is '\*' with cors\.credentials: true, which browsers refuse/),
      expect.stringMatching(/^rateLimit\.anonymous\.window must be whole seconds/),
    ]);
  });

  it('validates forRootAsync options the same way, once the factory has run', async () => {
    const error = await bootError(
      SecurityModule.forRootAsync({
        useFactory: async () => ({ rateLimit: { onStoreError: 'maybe' } }) as never,
      }),
    );
    expect(error.code).toBe('KWIK_SECURITY_INVALID_OPTIONS');
    expect(error.message).toMatch(/rateLimit\.onStoreError must be 'open' or 'closed' \(got "maybe"\)/);
  });

  it("store: 'redis' without a Redis client fails with KWIK_SECURITY_REDIS_MISSING and the fix", async () => {
    const error = await bootError(SecurityModule.forRoot({ rateLimit: { store: 'redis' } }));
    expect(error.code).toBe('KWIK_SECURITY_REDIS_MISSING');
    expect(error.message).toMatch(/set REDIS_URL \(or KwikModule\.forRoot\(\{ redis: \{ url \} \}\)\)/);
  });
});

/** Counts per `x-tenant` header instead of per ip / user. */
@Injectable()
class TenantRateLimitGuard extends RateLimitGuard {
  protected override getTracker(
    context: ExecutionContext,
    policy: ResolvedRateLimitPolicy,
  ): string | Promise<string> {
    const tenant = context.switchToHttp().getRequest<{ headers: Record<string, string> }>().headers[
      'x-tenant'
    ];
    return tenant ? `tenant:${tenant}` : super.getTracker(context, policy);
  }
}

describe('a subclassed guard (the rateLimitGuard extra)', () => {
  let app: BootedApp;
  beforeAll(async () => {
    app = await bootSecurityApp({
      security: { rateLimit: { anonymous: { limit: 2, window: '1m' } } },
      extras: { rateLimitGuard: TenantRateLimitGuard },
    });
  });
  afterAll(() => app?.close());

  const statuses = async (tenant: string) =>
    Promise.all([1, 2, 3].map(async () => (await app.get('/things', { 'x-tenant': tenant })).status));

  it('uses the subclass hooks: two tenants from one ip each get the whole limit', async () => {
    expect((await statuses('acme')).sort()).toEqual([200, 200, 429]);
    expect((await statuses('globex')).sort()).toEqual([200, 200, 429]);
  });
});

@Controller('ping')
class PingController {
  @Get()
  ping(): string {
    return 'pong';
  }
}

describe('forRootAsync', () => {
  let app: Awaited<ReturnType<typeof createKwikApp>>;
  beforeAll(async () => {
    @Module({
      imports: [
        KwikModule.forRoot({ envFile: false }),
        SecurityModule.forRootAsync({
          useFactory: async () => ({ rateLimit: { anonymous: { limit: 1, window: '1m' } }, headers: false }),
        }),
      ],
      controllers: [PingController],
    })
    class AsyncModule {}
    app = await createKwikApp(AsyncModule, { handleSignals: false, nest: { logger: false } });
  });
  afterAll(() => app?.close());

  it('applies the options the factory returned', async () => {
    const first = await app.inject('/ping');
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-security-policy']).toBeUndefined();
    expect(first.headers.ratelimit).toBe('"anonymous";r=0;t=60');
    expect((await app.inject('/ping')).statusCode).toBe(429);
  });
});
