/**
 * A developer-facing Kwik error with a stable code from the catalogue (`docs/errors.md`).
 *
 * Thrown for misconfiguration and misuse (at boot, or when an API is called wrongly), never
 * for bad client input — that is a {@link ProblemException}. The message says how to fix it.
 *
 * @example
 * throw new KwikError('KWIK_CONFIG_INVALID', 'DATABASE_URL must be a postgres:// URL');
 */
export class KwikError extends Error {
  /** Stable, documented code such as `KWIK_CONFIG_INVALID`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(`[${code}] ${message}`, options);
    this.name = 'KwikError';
    this.code = code;
  }
}
