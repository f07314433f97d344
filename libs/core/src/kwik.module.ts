import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { KwikConfig } from './config/kwik-config.js';
import { environmentWith } from './config/env-file.js';
import { loadConfig } from './config/load-config.js';
import { RequestContext } from './context/request-context.js';
import { ProblemFilter } from './errors/problem.filter.js';
import { HealthController } from './health/health.controller.js';
import { ReadinessRegistry } from './health/readiness.registry.js';
import { OpenApiVariants } from './http/openapi-variants.js';
import { RouteAccess } from './http/route-access.js';
import { KWIK_REDIS } from './kwik.constants.js';
import { KwikLoggerHost } from './logger-host.js';
import {
  KWIK_ASYNC_OPTIONS_TYPE,
  KWIK_OPTIONS_TYPE,
  KwikConfigurableModule,
  type KwikModuleExtras,
} from './kwik.module-definition.js';
import { RedisLifecycle } from './redis/redis-lifecycle.service.js';
import { redisProvider } from './redis/redis.provider.js';
import { KwikValidationPipe } from './validation/kwik-validation.pipe.js';

function configProviders(extras: KwikModuleExtras): Provider[] {
  const cls = extras.config ?? KwikConfig;
  const envFile = extras.envFile ?? '.env';
  const providers: Provider[] = [
    { provide: cls, useFactory: () => loadConfig(cls, environmentWith(envFile)) },
  ];
  if (cls !== KwikConfig) providers.push({ provide: KwikConfig, useExisting: cls });
  return providers;
}

function withConfig(definition: DynamicModule, extras: KwikModuleExtras): DynamicModule {
  const config = configProviders(extras);
  const tokens = config.map((p) => (p as { provide: unknown }).provide) as never[];
  return {
    ...definition,
    providers: [...(definition.providers ?? []), ...config],
    exports: [...(definition.exports ?? []), ...tokens],
  };
}

/**
 * The Kwik core module: typed config, the request context, problem+json errors, global
 * validation, health endpoints and the shared Redis client. Import it once in the root module
 * and bootstrap with `createKwikApp()`.
 *
 * @example
 * @Module({ imports: [KwikModule.forRoot({ config: AppConfig, docs: { title: 'Shop API' } })] })
 * export class AppModule {}
 */
@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json', logger: false })],
  controllers: [HealthController],
  providers: [
    RequestContext,
    ReadinessRegistry,
    RouteAccess,
    OpenApiVariants,
    KwikLoggerHost,
    redisProvider,
    RedisLifecycle,
    { provide: APP_FILTER, useClass: ProblemFilter },
    { provide: APP_PIPE, useFactory: () => new KwikValidationPipe() },
  ],
  exports: [RequestContext, ReadinessRegistry, RouteAccess, OpenApiVariants, KwikLoggerHost, KWIK_REDIS],
})
export class KwikModule extends KwikConfigurableModule {
  static override forRoot(options: typeof KWIK_OPTIONS_TYPE = {}): DynamicModule {
    return withConfig(super.forRoot(options), options);
  }

  static override forRootAsync(options: typeof KWIK_ASYNC_OPTIONS_TYPE): DynamicModule {
    return withConfig(super.forRootAsync(options), options);
  }
}
