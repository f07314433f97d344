import { Logger, type NestApplicationOptions, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { KwikConfig } from './config/kwik-config.js';
import { KwikError } from './errors/kwik.error.js';
import { DEFAULT_PROBLEM_TYPE_BASE, PROBLEM_CONTENT_TYPE, ProblemKind } from './errors/problem.types.js';
import { registerLivenessRoute } from './health/liveness.route.js';
import { ReadinessRegistry } from './health/readiness.registry.js';
import { linkContextStore } from './context/context.keys.js';
import { ContextStore } from './context/context-store.js';
import { RequestContext } from './context/request-context.js';
import { requestIdGenerator } from './http/request-id.js';
import { setupOpenApi } from './http/openapi.js';
import { OpenApiVariants } from './http/openapi-variants.js';
import { KwikLoggerHost } from './logger-host.js';
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
  /** How long shutdown keeps serving with readiness at 503 before closing. @default config `SHUTDOWN_DELAY_MS` (0) */
  shutdownDelayMs?: number;
  /**
   * Registers Fastify plugins (compression, multipart, ...) before the routes are: plugins that
   * attach hooks per route (`@fastify/compress`) then see every route, and those route hooks run
   * after the libraries' app-wide ones (the cache stores a response before it is compressed, and
   * its replays are compressed for each client's `Accept-Encoding`).
   *
   * @example
   * createKwikApp(AppModule, { plugins: (fastify) => fastify.register(compress) })
   */
  plugins?: (fastify: FastifyInstance) => unknown;
  /** Extra Nest application options (`logger`, `cors`, ...). */
  nest?: Omit<NestApplicationOptions, 'bufferLogs' | 'abortOnError' | 'autoFlushLogs'>;
  /**
   * Makes the Nest application instead of `NestFactory.create(module, adapter, options)`: `@kwik/testing`
   * passes a compiled `TestingModule`'s `createNestApplication`, so a test app with overridden
   * providers still gets everything `createKwikApp()` wires. @default NestFactory.create
   */
  create?: (
    adapter: FastifyAdapter,
    options: NestApplicationOptions,
  ) => Promise<NestFastifyApplication> | NestFastifyApplication;
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
    // Kwik answers requests arriving while closing itself, as problem+json with a request id.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
  });
  let registry: ReadinessRegistry | undefined;
  let context: RequestContext | undefined;
  let typeBase = DEFAULT_PROBLEM_TYPE_BASE;
  // Kwik's first hook of every request (after the adapter's own, before Nest middleware): echo
  // its id, refuse it while closing, and enter its context, so Nest middleware, guards,
  // interceptors, pipes, handlers and filters all run inside it.
  adapter.getInstance().addHook('onRequest', (request, reply, done) => {
    reply.header(header, request.id);
    if (registry?.closing) {
      reply
        .code(503)
        .header('connection', 'close')
        .header('retry-after', '5')
        .type(PROBLEM_CONTENT_TYPE)
        .send(closingProblem(typeBase, request.url, request.id));
      return;
    }
    if (!context) return done();
    const store = new ContextStore(request.id, request.ip);
    linkContextStore(request.raw, store);
    context.runWithStore(store, done);
  });

  const app = await createNestApp(module, adapter, options.nest, options.create);
  const kwikOptions = resolveKwikOptions(app);
  const logger = app.get(KwikLoggerHost, { strict: false }).logger;
  if (logger) app.useLogger(logger);
  app.flushLogs();

  registry = app.get(ReadinessRegistry, { strict: false });
  context = app.get(RequestContext, { strict: false });
  typeBase = kwikOptions.problemTypeBase ?? DEFAULT_PROBLEM_TYPE_BASE;
  registerLivenessRoute(adapter.getInstance());
  if (kwikOptions.docs !== false) {
    const variants = app.get(OpenApiVariants, { strict: false });
    setupOpenApi(app, kwikOptions.docs ?? {}, variants.all, variants.primary);
  }
  if (options.plugins) await options.plugins(adapter.getInstance());
  await app.init();
  await app.getHttpAdapter().getInstance().ready();

  if (options.handleSignals ?? true) {
    const config = app.get(KwikConfig, { strict: false });
    handleShutdownSignals(app, {
      timeoutMs: options.shutdownTimeoutMs ?? config.SHUTDOWN_TIMEOUT_MS,
      delayMs: options.shutdownDelayMs ?? config.SHUTDOWN_DELAY_MS,
    });
  }
  return app;
}

/**
 * Creates the Nest app with logs buffered until the real logger is in place. A KwikError
 * (misconfiguration) propagates alone, so the boot fails with its fix-it message rather than
 * a stack trace; any other failure first prints what Nest logged.
 */
async function createNestApp(
  module: Type<unknown>,
  adapter: FastifyAdapter,
  nest: CreateKwikAppOptions['nest'],
  create?: CreateKwikAppOptions['create'],
): Promise<NestFastifyApplication> {
  const options: NestApplicationOptions = {
    ...nest,
    bufferLogs: true,
    autoFlushLogs: false,
    abortOnError: false,
  };
  try {
    if (create) return await create(adapter, options);
    return await NestFactory.create<NestFastifyApplication>(module, adapter, options);
  } catch (error) {
    if (error instanceof KwikError)
      Logger.detachBuffer(); // drop Nest's noise, keep later logs flowing
    else Logger.flush();
    throw error;
  }
}

function closingProblem(typeBase: string, instance: string, requestId: string): string {
  return JSON.stringify({
    type: `${typeBase}${ProblemKind.ServiceUnavailable}`,
    title: 'Service Unavailable',
    status: 503,
    detail: 'The server is shutting down; retry on another connection.',
    instance,
    requestId,
  });
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
