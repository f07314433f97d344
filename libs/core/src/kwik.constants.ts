/**
 * Token under which a logging library provides the Nest `LoggerService` the app should use.
 * `createKwikApp()` switches the app's logger to it when present (the logging library does this).
 */
export const KWIK_LOGGER = Symbol.for('kwik:core:logger');

/** Symbol under which the context store is attached to the raw Node request. */
export const KWIK_CONTEXT_STORE = Symbol.for('kwik:core:contextStore');

/** Token of the shared ioredis client (present when `REDIS_URL` / `redis.url` is set). */
export const KWIK_REDIS = Symbol.for('kwik:core:redis');
