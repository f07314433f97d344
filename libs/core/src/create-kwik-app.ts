import type { LoggerService, NestApplicationOptions, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyServerOptions } from 'fastify';
import { KwikConfig } from './config/kwik-config.js';
import { KwikError } from './errors/kwik.error.js';
import { requestIdGenerator } from './http/request-id.js';
import { setupOpenApi } from './http/openapi.js';
import { KWIK_LOGGER } from './kwik.constants.js';
import { KWIK_MODULE_OPTIONS } from './kwik.module-definition.js';
import type { KwikModuleOptions } from './kwik-options.interface.js';
import { handleShutdownSignals } from './shutdown/graceful-shutdown.js';

/** Options of {@link createKwikApp}: what must be known before the HTTP server exists. */
export interface CreateKwikAppOptions {
  /** Largest accepted request body in bytes; larger ones get a 413 problem. @default 1048576 (1 MiB) */
  bodyLimit?: number;
  /** Header carrying the request id in and out. @default 'x-request-id' */
  requestIdHeader?: string;
  /** Fastify `trustProxy` (which `X-Forwarded-*` to believe for the client ip). @default false */
  trustProxy?: FastifyServerOptions['trustProxy'];
  /** Install SIGTERM/SIGINT handlers for graceful shutdown. @default true */
  handleSignals?: boolean;
  /** How long shutdown waits for in-flight requests. @default config `SHUTDOWN_TIMEOUT_MS` (10000) */
  shutdownTimeoutMs?: number;
  /** Extra Nest application options (`logger`, `cors`, ...). */
  nest?: Omit<NestApplicationOptions, 'bufferLogs' | 'abortOnError'>;
}

/**
 * Builds and initialises a Kwik app on Fastify: request ids (a sane incoming `X-Request-Id` is
 * kept, else a UUID; echoed on every response), problem+json for Fastify's own errors, the
 * logger the logging library provides, OpenAPI at `/docs`, and graceful shutdown on signals.
 * Returns the initialised app; call `app.listen()` to serve.
 *
 * @example
 * const app = await createKwikApp(AppModule);
 * const { PORT, HOST } = app.get(KwikConfig);
 * await app.listen(PORT, HOST);
 */
export async function createKwikApp(
  module: Type<unknown>,
  options: CreateKwikAppOptions = {},
): Promise<NestFastifyApplication> {
  const header = (options.requestIdHeader ?? 'x-request-id').toLowerCase();
  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    trustProxy: options.trustProxy ?? false,
    genReqId: requestIdGenerator(header),
    requestIdHeader: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  adapter.getInstance().addHook('onRequest', (request, reply, done) => {
    reply.header(header, request.id);
    done();
  });

  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    ...options.nest,
    bufferLogs: true,
    abortOnError: false,
  });
  const logger = resolveLogger(app);
  if (logger) app.useLogger(logger);
  app.flushLogs();

  const kwikOptions = resolveKwikOptions(app);
  if (kwikOptions.docs !== false) setupOpenApi(app, kwikOptions.docs ?? {});
  await app.init();
  await app.getHttpAdapter().getInstance().ready();

  if (options.handleSignals ?? true) {
    const timeoutMs = options.shutdownTimeoutMs ?? app.get(KwikConfig).SHUTDOWN_TIMEOUT_MS;
    handleShutdownSignals(app, timeoutMs);
  }
  return app;
}

function resolveLogger(app: NestFastifyApplication): LoggerService | undefined {
  try {
    return app.get<LoggerService>(KWIK_LOGGER, { strict: false });
  } catch {
    return undefined; // no logging library imported: Nest's console logger stays
  }
}

function resolveKwikOptions(app: NestFastifyApplication): KwikModuleOptions {
  try {
    return app.get<KwikModuleOptions>(KWIK_MODULE_OPTIONS, { strict: false });
  } catch (cause) {
    throw new KwikError(
      'KWIK_MODULE_MISSING',
      'createKwikApp() needs KwikModule in the application: add `KwikModule.forRoot()` to the imports of your root module.',
      { cause },
    );
  }
}
