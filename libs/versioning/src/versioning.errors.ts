import { KwikError } from '@kwik/core';

/** Boot-time error codes of `@kwik/versioning` (docs/errors.md). */
export const VersioningErrorCode = {
  /** `VersioningModule.forRoot()` options are invalid (the message says which and how to fix it). */
  InvalidOptions: 'KWIK_VERSIONING_INVALID_OPTIONS',
  /** A `VersionChange` names a version that is not declared or the oldest one, names no routes, or is listed twice. */
  InvalidChange: 'KWIK_VERSIONING_INVALID_CHANGE',
} as const;

export class VersioningError extends KwikError {}

/** Problem kinds of `@kwik/versioning` (the last segment of the problem `type`; docs/errors.md). */
export const VersioningProblemKind = {
  /** 406: the request names a version, vendor or `Accept` value this API does not serve. */
  UnsupportedApiVersion: 'unsupported-api-version',
} as const;
