import type { IncomingMessage } from 'node:http';
import { KWIK_CONTEXT_STORE } from '../kwik.constants.js';
import type { ContextStore } from './context-store.js';

/** The identity fields every log line carries, read from a context store. */
export interface ContextLogFields {
  requestId?: string;
  userId?: string;
  tenantId?: string;
  ip?: string;
  /** The API version the request was served in (set by the versioning library). */
  apiVersion?: string;
  /** The background job a line was written in (set by the tasks library around a handler). */
  jobId?: string;
}

/** Links a raw Node request to its context store (core does this when a request arrives). */
export function linkContextStore(raw: IncomingMessage, store: ContextStore): void {
  (raw as IncomingMessage & { [KWIK_CONTEXT_STORE]?: ContextStore })[KWIK_CONTEXT_STORE] = store;
}

/**
 * The context store of a raw Node request, for code that runs outside the request's async
 * chain but must see what guards wrote later (the completion log line in `onResponse`).
 */
export function contextStoreOf(raw: IncomingMessage): ContextStore | undefined {
  return (raw as IncomingMessage & { [KWIK_CONTEXT_STORE]?: ContextStore })[KWIK_CONTEXT_STORE];
}
