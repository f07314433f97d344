import { HttpException } from '@nestjs/common';
import { ProblemException, type ProblemInit } from './problem.exception.js';
import { ProblemKind, type ProblemKindValue } from './problem.types.js';

interface StatusInfo {
  kind: ProblemKindValue;
  title: string;
}

const BY_STATUS: Record<number, StatusInfo> = {
  400: { kind: ProblemKind.BadRequest, title: 'Bad Request' },
  401: { kind: ProblemKind.Unauthorized, title: 'Unauthorized' },
  403: { kind: ProblemKind.Forbidden, title: 'Forbidden' },
  404: { kind: ProblemKind.NotFound, title: 'Not Found' },
  405: { kind: ProblemKind.MethodNotAllowed, title: 'Method Not Allowed' },
  406: { kind: ProblemKind.NotAcceptable, title: 'Not Acceptable' },
  408: { kind: ProblemKind.Timeout, title: 'Request Timeout' },
  409: { kind: ProblemKind.Conflict, title: 'Conflict' },
  410: { kind: ProblemKind.Gone, title: 'Gone' },
  412: { kind: ProblemKind.PreconditionFailed, title: 'Precondition Failed' },
  413: { kind: ProblemKind.PayloadTooLarge, title: 'Payload Too Large' },
  415: { kind: ProblemKind.UnsupportedMediaType, title: 'Unsupported Media Type' },
  422: { kind: ProblemKind.UnprocessableContent, title: 'Unprocessable Content' },
  429: { kind: ProblemKind.TooManyRequests, title: 'Too Many Requests' },
  500: { kind: ProblemKind.Internal, title: 'Internal Server Error' },
  503: { kind: ProblemKind.ServiceUnavailable, title: 'Service Unavailable' },
  504: { kind: ProblemKind.Timeout, title: 'Gateway Timeout' },
};

function statusInfo(status: number): StatusInfo {
  return (
    BY_STATUS[status] ?? {
      kind: status >= 500 ? ProblemKind.Internal : `http-${status}`,
      title: `HTTP ${status}`,
    }
  );
}

/** Errors Fastify raises before a route handler runs (body parsing, limits). */
interface FastifyLikeError {
  statusCode: number;
  code?: string;
  message: string;
}

function isFastifyError(error: unknown): error is FastifyLikeError {
  const e = error as Partial<FastifyLikeError> | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.statusCode === 'number' &&
    e.statusCode >= 400 &&
    e.statusCode < 600 &&
    (typeof e.code === 'string' ? e.code.startsWith('FST_') : error instanceof SyntaxError)
  );
}

function fastifyDetail(error: FastifyLikeError): { kind?: ProblemKindValue; detail: string } {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case undefined:
      return {
        kind: ProblemKind.MalformedBody,
        detail: `The request body is not valid JSON: ${error.message}`,
      };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { detail: `${error.message}: the request body is larger than this endpoint accepts.` };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { detail: `${error.message}. Send the body as application/json.` };
    default:
      return { detail: error.message };
  }
}

function httpExceptionDetail(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  if (typeof message === 'string') return message;
  return exception.message;
}

/** A problem before `type` is prefixed and `instance` / `requestId` are added. */
export type ProblemDraft = ProblemInit;

/**
 * Turns anything thrown during a request into a problem draft. Unknown errors become a bare
 * 500 whose detail reveals nothing about the internals.
 */
export function toProblemDraft(exception: unknown, requestId: string | undefined): ProblemDraft {
  if (exception instanceof ProblemException) {
    const { status, kind, title, detail, errors, extensions, headers } = exception.problem;
    return { status, kind, title, detail, errors, extensions, headers };
  }
  // Nest's Fastify adapter wraps Fastify's own 4xx errors (body parsing, limits) in an HttpException.
  const fastifyError = exception instanceof HttpException ? exception.cause : exception;
  if (isFastifyError(fastifyError)) {
    const status = fastifyError.statusCode;
    const info = statusInfo(status);
    const specific = fastifyDetail(fastifyError);
    return { status, kind: specific.kind ?? info.kind, title: info.title, detail: specific.detail };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const info = statusInfo(status);
    const detail = status >= 500 ? info.title : httpExceptionDetail(exception);
    return { status, kind: info.kind, title: info.title, detail };
  }
  if (isRowSecurityViolation(exception)) {
    // PostgreSQL refused a write outside the caller's row-level security policy (the tenant's
    // rows): the caller may not do that, whatever code path tried it.
    return {
      status: 403,
      kind: ProblemKind.Forbidden,
      title: 'Forbidden',
      detail: 'The row is outside what this request may write (row-level security).',
    };
  }
  return {
    status: 500,
    kind: ProblemKind.Internal,
    title: 'Internal Server Error',
    detail: `An unexpected error occurred.${requestId ? ` Quote request id ${requestId} when reporting it.` : ''}`,
  };
}

/** A PostgreSQL `42501` "new row violates row-level security policy" error, as the driver or TypeORM raises it. */
function isRowSecurityViolation(exception: unknown): boolean {
  const error = (exception as { driverError?: unknown } | null)?.driverError ?? exception;
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === '42501' && typeof message === 'string' && message.includes('row-level security');
}
