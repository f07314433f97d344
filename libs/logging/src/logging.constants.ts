/** Token of the root pino logger Kwik builds (inject it to log outside Nest's `Logger`). */
export const KWIK_PINO = Symbol.for('kwik:logging:pino');

/** Internal token of the root logger and the completion-line writer ({@link KwikLoggers}). */
export const KWIK_LOGGERS = Symbol.for('kwik:logging:loggers');

/** What is redacted from every log line unless told otherwise. */
export const DEFAULT_REDACT_PATHS: readonly string[] = [
  'authorization',
  'cookie',
  'password',
  'token',
  'accessToken',
  'refreshToken',
  'apiKey',
  'secret',
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
  'headers["x-api-key"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.apiKey',
  '*.secret',
  '*.authorization',
  '*.cookie',
  '*["set-cookie"]',
  '*["x-api-key"]',
  '*.*.password',
  '*.*.token',
  '*.*.accessToken',
  '*.*.refreshToken',
  '*.*.apiKey',
  '*.*.secret',
  '*.*.authorization',
  '*.*.cookie',
];
