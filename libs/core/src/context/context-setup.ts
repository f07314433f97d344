import type { IncomingMessage } from 'node:http';
import type { ClsService } from 'nestjs-cls';
import { KWIK_CONTEXT_STORE } from '../kwik.constants.js';
import { CONTEXT_KEYS } from './context.keys.js';

/** Fields Fastify's middleware bridge (middie) copies onto the raw request. */
type RawRequest = IncomingMessage & { id?: unknown; ip?: string; [KWIK_CONTEXT_STORE]?: unknown };

/**
 * Fills a new request context: the ip (as Fastify resolved it, honouring `trustProxy`) and a
 * link from the raw request to the store, so code outside the async chain (the completion
 * log line in `onResponse`) can read what guards wrote later.
 */
export function contextSetup(cls: ClsService, req: RawRequest): void {
  cls.set(CONTEXT_KEYS.ip, req.ip ?? req.socket?.remoteAddress);
  req[KWIK_CONTEXT_STORE] = cls.get();
}
