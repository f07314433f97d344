/** One field-level problem in a validation problem's `errors` array. */
export interface ProblemFieldError {
  /** Dotted path of the offending field (`author.email`, `items[2].title`) or parameter. */
  field: string;
  /** What is wrong with it, in plain words. */
  message: string;
  /** Index of the item in a bulk request, when the problem concerns one item. */
  index?: number;
}

/** An RFC 9457 problem details object as Kwik sends it (`application/problem+json`). */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  /** Validation problems only. */
  errors?: ProblemFieldError[];
  /** Extension members. */
  [extension: string]: unknown;
}

/** The media type of every Kwik error response. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** Default base of the `type` URI of Kwik problems; overridable with `problemTypeBase`. */
export const DEFAULT_PROBLEM_TYPE_BASE = 'https://kwik.dev/problems/';

/**
 * The stable problem kinds core emits. The `type` of a problem is `problemTypeBase + kind`.
 * `docs/errors.md` lists each.
 */
export const ProblemKind = {
  Validation: 'validation-error',
  MalformedBody: 'malformed-body',
  BadRequest: 'bad-request',
  Unauthorized: 'unauthorized',
  Forbidden: 'forbidden',
  NotFound: 'not-found',
  MethodNotAllowed: 'method-not-allowed',
  NotAcceptable: 'not-acceptable',
  Conflict: 'conflict',
  Gone: 'gone',
  PreconditionFailed: 'precondition-failed',
  PayloadTooLarge: 'payload-too-large',
  UnsupportedMediaType: 'unsupported-media-type',
  UnprocessableContent: 'unprocessable-content',
  TooManyRequests: 'too-many-requests',
  Internal: 'internal-error',
  ServiceUnavailable: 'service-unavailable',
  Timeout: 'timeout',
} as const;

/** One of the {@link ProblemKind} values, or a lib's own kind (`tenant-not-found`). */
export type ProblemKindValue = (typeof ProblemKind)[keyof typeof ProblemKind] | (string & {});
