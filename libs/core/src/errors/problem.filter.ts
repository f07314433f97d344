import {
  Catch,
  HttpException,
  Inject,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { KWIK_MODULE_OPTIONS } from '../kwik.module-definition.js';
import type { KwikModuleOptions } from '../kwik-options.interface.js';
import { toProblemDraft } from './problem.factory.js';
import { DEFAULT_PROBLEM_TYPE_BASE, PROBLEM_CONTENT_TYPE, type ProblemDetails } from './problem.types.js';

/**
 * Renders every error as RFC 9457 `application/problem+json` with a stable `type`, the
 * request id, and for validation an `errors` array. Server errors are logged with their
 * stack and request id; the body never contains a stack or internals.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Kwik');
  private readonly typeBase: string;

  constructor(@Inject(KWIK_MODULE_OPTIONS) options: KwikModuleOptions) {
    this.typeBase = options.problemTypeBase ?? DEFAULT_PROBLEM_TYPE_BASE;
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const requestId = typeof request.id === 'string' ? request.id : undefined;
    const { kind, headers, extensions, errors, ...draft } = toProblemDraft(exception, requestId);
    const body: ProblemDetails = {
      ...extensions,
      type: `${this.typeBase}${kind}`,
      ...draft,
      instance: request.url,
      ...(errors ? { errors } : {}),
      ...(requestId ? { requestId } : {}),
    };
    if (draft.status >= 500) this.logServerError(exception, body);
    if (reply.sent) return;
    if (headers) reply.headers(headers);
    reply.status(draft.status).header('content-type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
  }

  private logServerError(exception: unknown, body: ProblemDetails): void {
    const expected = exception instanceof HttpException;
    const error = exception instanceof Error ? exception : new Error(String(exception));
    const message = `${body.status} ${expected ? body.detail : 'Unhandled error'} at ${body.instance}: ${error.message}`;
    if (expected) this.logger.warn(message);
    else this.logger.error(message, error.stack);
  }
}
