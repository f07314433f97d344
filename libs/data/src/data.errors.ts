import { KwikError } from '@kwik/core';

/** Stable codes of the errors `@kwik/data` throws at boot or on misuse (listed in `docs/errors.md`). */
export const DataErrorCode = {
  /** A shape names a field that is not a column of the entity, an operator its type cannot do, or a bad default. */
  InvalidShape: 'KWIK_DATA_INVALID_SHAPE',
  /** An option of `DataModule` is out of range, or the cursor secret is missing in production. */
  InvalidOptions: 'KWIK_DATA_INVALID_OPTIONS',
} as const;

export type DataErrorCodeValue = (typeof DataErrorCode)[keyof typeof DataErrorCode];

/** A misconfiguration of `@kwik/data`; the message says how to fix it. */
export class DataError extends KwikError {
  declare readonly code: DataErrorCodeValue;

  constructor(code: DataErrorCodeValue, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'DataError';
  }
}
