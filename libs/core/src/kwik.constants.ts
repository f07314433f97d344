/** Symbol under which the context store is attached to the raw Node request. */
export const KWIK_CONTEXT_STORE = Symbol.for('kwik:core:contextStore');

/** Token of the shared ioredis client; its value is `null` when neither `REDIS_URL` nor `redis.url` is set. */
export const KWIK_REDIS = Symbol.for('kwik:core:redis');
