import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { fastifyCors } from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';
import type { ResolvedSecurityOptions } from '../options/resolve-security-options.js';
import { SECURITY_RESOLVED_OPTIONS } from '../security.constants.js';
import { SecurityError, SecurityErrorCode } from '../security.errors.js';
import { RequestTimeouts } from './request-timeouts.service.js';
import { staticHelmetHeaders } from './static-headers.js';

/**
 * Installs the HTTP side of `SecurityModule` on the Fastify instance when the module initialises:
 * `helmet` (security headers), `@fastify/cors` and the request-timeout hook.
 *
 * `onModuleInit` runs inside `app.init()`, after Nest has registered its routes but before
 * Fastify boots (`ready()`, which `createKwikApp()` and `listen()` call afterwards). Fastify loads
 * plugins registered before it boots and attaches every hook to every route when it boots, so
 * the headers, CORS and timeouts cover all routes, Nest's and the `/docs` UI's alike.
 */
@Injectable()
export class SecurityHttpSetup implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly timeouts: RequestTimeouts,
    @Inject(SECURITY_RESOLVED_OPTIONS) private readonly options: ResolvedSecurityOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter) return; // an application context without HTTP (a script, a worker)
    if (adapter.getType() !== 'fastify')
      throw new SecurityError(
        SecurityErrorCode.FastifyRequired,
        `SecurityModule needs the Fastify adapter (got "${adapter.getType()}"). Bootstrap with createKwikApp() from @kwik/core.`,
      );
    const fastify = adapter.getInstance<FastifyInstance>();
    if (this.options.helmet) {
      // helmet's middleware built once at boot. (@fastify/helmet rebuilds it — parsing every CSP
      // directive — in an async hook on every request.) Its headers are computed once too, unless
      // an option is a function (a per-request CSP nonce): then the middleware runs per request.
      const applyHeaders = helmet(this.options.helmet);
      const headers = staticHelmetHeaders(applyHeaders, this.options.helmet);
      if (headers)
        fastify.addHook('onRequest', (_request, reply, done) => {
          reply.headers(headers);
          done();
        });
      else
        fastify.addHook('onRequest', (request, reply, done) => {
          applyHeaders(request.raw, reply.raw, () => done());
        });
    }
    if (this.options.cors) await fastify.register(fastifyCors, this.options.cors);
    this.timeouts.install(fastify, this.options.requestTimeoutMs);
  }
}
