import { KwikError } from '@kwik/core';

/** Stable codes of the misconfigurations a CRUD resource reports (listed in `docs/errors.md`). */
export const CrudErrorCode = {
  /** A `CrudController()` declaration is inconsistent, or its entity cannot serve a CRUD resource. */
  InvalidResource: 'KWIK_DATA_INVALID_RESOURCE',
} as const;

/** A stable code of {@link CrudError}. */
export type CrudErrorCodeValue = (typeof CrudErrorCode)[keyof typeof CrudErrorCode];

/**
 * A misdeclared CRUD resource (`KWIK_DATA_INVALID_RESOURCE`), thrown when `CrudController()` runs or at
 * boot; the message says how to fix it.
 */
export class CrudError extends KwikError {
  declare readonly code: CrudErrorCodeValue;

  constructor(code: CrudErrorCodeValue, message: string) {
    super(code, message);
    this.name = 'CrudError';
  }
}
