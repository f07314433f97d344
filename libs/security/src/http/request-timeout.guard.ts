import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RouteMemo } from '@kwik/core';
import { REQUEST_TIMEOUT_METADATA } from '../security.constants.js';
import { RequestTimeouts } from './request-timeouts.service.js';

/**
 * Applies `@RequestTimeout(ms)` of a route or controller: re-arms the request's timer, counted
 * from when the request was received. A guard because only Nest knows the handler of a request;
 * it never refuses one.
 */
@Injectable()
export class RequestTimeoutGuard implements CanActivate {
  private readonly timeoutOf = new RouteMemo(({ handler, controller }) =>
    this.reflector.getAllAndOverride<number | undefined>(REQUEST_TIMEOUT_METADATA, [handler, controller]),
  );

  constructor(
    private readonly reflector: Reflector,
    private readonly timeouts: RequestTimeouts,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const ms = this.timeoutOf.of(context);
    if (ms !== undefined) {
      const http = context.switchToHttp();
      this.timeouts.arm(http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), ms);
    }
    return true;
  }
}
