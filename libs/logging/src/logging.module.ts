import { Inject, Module, Optional, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { Logger, LoggerModule } from 'nestjs-pino';
import type { Logger as PinoInstance } from 'pino';
import { KwikConfig, KwikLoggerHost, RequestContext } from '@kwik/core';
import { createPino, type KwikLoggers } from './create-pino.js';
import { KWIK_LOGGERS, KWIK_PINO } from './logging.constants.js';
import { LOGGING_MODULE_OPTIONS, LoggingConfigurableModule } from './logging.module-definition.js';
import type { LoggingModuleOptions } from './logging-options.interface.js';
import { requestLogHook } from './request-log.hook.js';

/**
 * JSON logs through nestjs-pino: every line inside a request carries `requestId`, and
 * `userId`, `tenantId`, `ip` once known; one completion line per request; secrets redacted;
 * pretty output on a TTY. `createKwikApp()` makes it the app's logger.
 *
 * @example
 * @Module({ imports: [KwikModule.forRoot(), LoggingModule.forRoot({ redact: ['*.ssn'] })] })
 * export class AppModule {}
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [KWIK_PINO],
      useFactory: (logger: PinoInstance) => ({
        // nestjs-pino provides the Nest LoggerService and PinoLogger over Kwik's pino instance.
        // Its per-request pino-http middleware is not mounted (no routes): request identity
        // comes from the context mixin, and the completion line from Kwik's onResponse hook.
        pinoHttp: { logger, autoLogging: false },
        forRoutes: [],
      }),
    }),
  ],
  providers: [
    {
      provide: KWIK_LOGGERS,
      inject: [
        LOGGING_MODULE_OPTIONS,
        { token: KwikConfig, optional: true },
        { token: RequestContext, optional: true },
      ],
      useFactory: (options: LoggingModuleOptions, config?: KwikConfig, context?: RequestContext) =>
        createPino(options, {
          level: config?.LOG_LEVEL ?? 'info',
          nodeEnv: config?.NODE_ENV ?? process.env.NODE_ENV ?? 'development',
          context,
        }),
    },
    { provide: KWIK_PINO, inject: [KWIK_LOGGERS], useFactory: (loggers: KwikLoggers) => loggers.root },
  ],
  exports: [KWIK_PINO],
})
export class LoggingModule extends LoggingConfigurableModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(LOGGING_MODULE_OPTIONS) private readonly options: LoggingModuleOptions,
    @Inject(KWIK_LOGGERS) private readonly loggers: KwikLoggers,
    private readonly adapterHost: HttpAdapterHost,
    logger: Logger,
    @Optional() loggerHost?: KwikLoggerHost,
  ) {
    super();
    loggerHost?.use(logger); // createKwikApp() makes it the app's logger
  }

  onModuleInit(): void {
    if (this.options.requestLog === false) return;
    const fastify = this.adapterHost.httpAdapter?.getInstance?.() as FastifyInstance | undefined;
    if (typeof fastify?.addHook !== 'function') return; // not an HTTP app (or not Fastify)
    fastify.addHook('onResponse', requestLogHook(this.loggers.requestLog, this.options.ignoreRoutes ?? []));
  }

  /** Writes out what is still buffered (logs made during shutdown included). */
  onApplicationShutdown(): void {
    this.loggers.close();
  }
}
