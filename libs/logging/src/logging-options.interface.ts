import type { DestinationStream, Level } from 'pino';

/** Options of `LoggingModule.forRoot()` / `forRootAsync()`. */
export interface LoggingModuleOptions {
  /** Minimum level written. @default config `LOG_LEVEL` ('info') */
  level?: Level | 'silent';
  /** Human-readable colored output instead of JSON lines. @default true when stdout is a TTY and NODE_ENV is not 'production' */
  pretty?: boolean;
  /** Extra paths to redact (pino `redact` syntax), added to the defaults (authorization, cookies, passwords, tokens, secrets). */
  redact?: string[];
  /** Where JSON lines go. @default stdout */
  destination?: DestinationStream;
  /** Emit the one completion line per request. @default true */
  requestLog?: boolean;
  /** Route templates whose completion line is skipped (e.g. probes). @default [] */
  ignoreRoutes?: string[];
  /** Static fields on every line (service name, version). @default {} */
  base?: Record<string, unknown>;
}
