import { Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  DEFAULT_PROBLEM_TYPE_BASE,
  KWIK_MODULE_OPTIONS,
  PROBLEM_CONTENT_TYPE,
  type KwikModuleOptions,
  type ProblemDetails,
} from '@kwik/core';

interface Deadline {
  /** When the request was received (`preHandler`), in `Date.now()` ms. */
  start: number;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Request timeouts: a timer per request from the moment it has been received and parsed (Fastify
 * `preHandler`) until its response ends (Fastify's `onResponse`, or `onRequestAbort` when the
 * client goes away). When it fires first the client gets a 503 `request-timeout` problem; the
 * handler's late result, or late error, is then dropped (a Fastify reply is sent once; Kwik's
 * problem filter skips a sent reply). Nothing outlives the request: the timer is cleared by those
 * hooks (no listener per request) and the state is keyed weakly by the request.
 */
@Injectable()
export class RequestTimeouts {
  private readonly logger = new Logger('RequestTimeout');
  private readonly deadlines = new WeakMap<FastifyRequest, Deadline>();
  private typeBase: string | undefined;

  constructor(private readonly moduleRef: ModuleRef) {}

  /**
   * Called once at boot: clears timers when responses end, and arms the default timeout of every
   * request when `defaultMs` > 0 (`@RequestTimeout()` routes arm theirs from a guard).
   */
  install(fastify: FastifyInstance, defaultMs: number): void {
    if (defaultMs > 0)
      fastify.addHook('preHandler', (request, reply, done) => {
        this.arm(request, reply, defaultMs);
        done();
      });
    fastify.addHook('onResponse', (request, _reply, done) => {
      this.disarm(request);
      done();
    });
    fastify.addHook('onRequestAbort', (request, done) => {
      this.disarm(request);
      done();
    });
  }

  /**
   * (Re-)arms the timer of a request to fire `ms` after the request was received; `0` disarms it.
   * `@RequestTimeout()` routes call this from a guard, right after `preHandler`.
   */
  arm(request: FastifyRequest, reply: FastifyReply, ms: number): void {
    let deadline = this.deadlines.get(request);
    if (deadline === undefined) {
      deadline = { start: Date.now(), timer: undefined };
      this.deadlines.set(request, deadline);
    } else if (deadline.timer !== undefined) {
      clearTimeout(deadline.timer);
      deadline.timer = undefined;
    }
    if (ms <= 0 || reply.sent) return;
    const left = Math.max(0, deadline.start + ms - Date.now());
    deadline.timer = setTimeout(() => this.expire(request, reply, ms), left);
  }

  private disarm(request: FastifyRequest): void {
    const timer = this.deadlines.get(request)?.timer;
    if (timer !== undefined) clearTimeout(timer);
  }

  /**
   * Sends the 503 problem itself: Fastify gives a route the error handler that existed when the
   * route was registered, which for Nest routes is not Nest's, so `reply.send(error)` from a
   * timer would bypass Kwik's problem filter.
   */
  private expire(request: FastifyRequest, reply: FastifyReply, ms: number): void {
    // A handler already streaming its answer keeps the connection; it cannot become a problem now.
    if (reply.sent || reply.raw.headersSent || reply.raw.destroyed) return;
    const problem: ProblemDetails = {
      type: `${this.problemTypeBase()}request-timeout`,
      title: 'Service Unavailable',
      status: 503,
      detail: `The server did not answer within ${ms} ms and abandoned the request. Retry later.`,
      instance: request.url,
      requestId: request.id,
    };
    this.logger.warn(
      `503 ${request.method} ${request.url} did not answer within ${ms} ms (request ${request.id})`,
    );
    reply.code(503).header('retry-after', '5').type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }

  /** `problemTypeBase` of `KwikModule`, read once. */
  private problemTypeBase(): string {
    if (this.typeBase === undefined) {
      let options: KwikModuleOptions | undefined;
      try {
        options = this.moduleRef.get<KwikModuleOptions>(KWIK_MODULE_OPTIONS, { strict: false });
      } catch {
        options = undefined; // an app without KwikModule: Kwik's default base
      }
      this.typeBase = options?.problemTypeBase ?? DEFAULT_PROBLEM_TYPE_BASE;
    }
    return this.typeBase;
  }
}
