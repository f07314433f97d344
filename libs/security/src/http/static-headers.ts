import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HelmetOptions } from 'helmet';

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * The headers `helmet(options)` sets, computed once at boot — or `undefined` when they may differ
 * per request (an option is a function, e.g. a CSP nonce directive), in which case the
 * middleware has to run for every request.
 *
 * Applying a precomputed object with `reply.headers()` keeps every header in Fastify's reply until
 * `writeHead`, instead of thirteen `setHeader` calls on the raw response (each validating its name
 * and value, and forcing Node to merge Fastify's own headers the slow way).
 *
 * @example
 * const headers = staticHelmetHeaders(helmet(options), options);
 * if (headers) fastify.addHook('onRequest', (request, reply, done) => { reply.headers(headers); done(); });
 */
export function staticHelmetHeaders(
  middleware: Middleware,
  options: HelmetOptions,
): Readonly<Record<string, string>> | undefined {
  if (hasFunction(options)) return undefined;
  const headers: Record<string, string> = {};
  let failure: unknown;
  const recorder = {
    setHeader(name: string, value: number | string | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
      return recorder;
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
    getHeader(name: string) {
      return headers[name.toLowerCase()];
    },
  };
  middleware({ headers: {} } as IncomingMessage, recorder as unknown as ServerResponse, (error) => {
    failure = error;
  });
  if (failure !== undefined) return undefined;
  return Object.freeze(headers);
}

function hasFunction(value: unknown, depth = 0): boolean {
  if (typeof value === 'function') return true;
  if (value === null || typeof value !== 'object' || depth > 6) return false;
  const entries = Array.isArray(value) ? value : Object.values(value);
  return entries.some((entry) => hasFunction(entry, depth + 1));
}
