import { ProblemException, ProblemKind } from '@kwik/core';

/** 401: no usable credentials. `detail` says what was wrong, never which secret was close. */
export function unauthorized(detail: string, error = 'invalid_token'): ProblemException {
  return new ProblemException({
    status: 401,
    kind: ProblemKind.Unauthorized,
    title: 'Unauthorized',
    detail,
    headers: { 'WWW-Authenticate': `Bearer realm="kwik", error="${error}"` },
  });
}

/** 403: authenticated, but not allowed. */
export function forbidden(detail: string): ProblemException {
  return new ProblemException({ status: 403, kind: ProblemKind.Forbidden, title: 'Forbidden', detail });
}

/** 429 for a locked-out sign-in. */
export function locked(retryAfterSeconds: number): ProblemException {
  return new ProblemException({
    status: 429,
    kind: 'login-locked',
    title: 'Too Many Requests',
    detail: `Too many failed sign-ins: try again in ${retryAfterSeconds} s.`,
    headers: { 'Retry-After': String(retryAfterSeconds) },
  });
}
