import { KwikError } from '@kwik/core';

/** Boot-time error codes of `@kwik/versioning` (docs/errors.md). */
export const VersioningErrorCode = {
  /** `VersioningModule.forRoot()` options are invalid (the message says which and how to fix it). */
  InvalidOptions: 'VERSIONING_INVALID_OPTIONS',
  /** A `VersionChange` names a version that is not declared, or the oldest one, or is declared twice. */
  InvalidChange: 'VERSIONING_INVALID_CHANGE',
} as const;

export class VersioningError extends KwikError {}
