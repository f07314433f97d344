import { HttpException } from '@nestjs/common';
import type { ProblemFieldError, ProblemKindValue } from './problem.types.js';

/** What a {@link ProblemException} carries into the problem+json body. */
export interface ProblemInit {
  status: number;
  /** Stable kind; becomes the last segment of the `type` URI. */
  kind: ProblemKindValue;
  title: string;
  detail: string;
  errors?: ProblemFieldError[];
  /** Extra members merged into the body; they never override `type`, `title`, `status`, `detail` or `instance`. */
  extensions?: Record<string, unknown>;
  /** Extra response headers (`Retry-After`, `WWW-Authenticate`). */
  headers?: Record<string, string>;
}

/**
 * A client error with a stable kind, rendered as RFC 9457 problem+json by Kwik's filter.
 *
 * @example
 * throw new ProblemException({ status: 409, kind: 'slug-taken', title: 'Conflict',
 *   detail: 'A post with slug "hello" already exists' });
 */
export class ProblemException extends HttpException {
  readonly problem: ProblemInit;

  constructor(problem: ProblemInit) {
    super(problem.detail, problem.status);
    this.problem = problem;
  }

  /** A 400 validation problem with one entry per offending field. */
  static validation(errors: ProblemFieldError[], detail?: string): ProblemException {
    const fields = [...new Set(errors.map((e) => e.field))];
    return new ProblemException({
      status: 400,
      kind: 'validation-error',
      title: 'Validation failed',
      detail:
        detail ?? `${fields.length} invalid field${fields.length === 1 ? '' : 's'}: ${fields.join(', ')}`,
      errors,
    });
  }
}
