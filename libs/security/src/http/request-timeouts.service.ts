import { Injectable } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ProblemException } from '@kwik/core';

interface Deadline {
  /** When the request was received (`preHandler`), in `Date.now()` ms. */
  start: number;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Request timeouts: a timer per request from the moment it has been received and parsed (Fastify
 * `preHandler`) until its response ends (the raw response's `close`, which also fires when the
 * client goes away). When it fires first the client gets a 503 `request-timeout` problem through
 * Kwik's problem filter; the handler's late result is then dropped by Fastify (a reply is sent
 * once). Nothing outlives the request: the timer is cleared on `close` and the state is keyed
 * weakly by the request.
 */
@Injectable()
export class RequestTimeouts {
  private readonly deadlines = new WeakMap<FastifyRequest, Deadline>();

  /** Arms the default timeout of every request (called once at boot when `requestTimeout` > 0). */
  install(fastify: FastifyInstance, defaultMs: number): void {
    fastify.addHook('preHandler', (request, reply, done) => {
      this.arm(request, reply, defaultMs);
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
      const current = deadline;
      reply.raw.once('close', () => clearTimeout(current.timer));
    }
    clearTimeout(deadline.timer);
    deadline.timer = undefined;
    if (ms <= 0 || reply.sent) return;
    const left = Math.max(0, deadline.start + ms - Date.now());
    deadline.timer = setTimeout(() => this.expire(reply, ms), left);
  }

  private expire(reply: FastifyReply, ms: number): void {
    // A handler already streaming its answer keeps the connection; it cannot become a problem now.
    if (reply.sent || reply.raw.headersSent) return;
    reply.send(
      new ProblemException({
        status: 503,
        kind: 'request-timeout',
        title: 'Service Unavailable',
        detail: `The server did not answer within ${ms} ms and abandoned the request. Retry later.`,
        headers: { 'retry-after': '5' },
      }),
    );
  }
}
