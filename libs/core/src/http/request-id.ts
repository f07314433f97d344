import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Fastify `genReqId`: keeps a sane incoming id (1–128 chars of `A-Z a-z 0-9 . _ : -`, a single
 * header) and otherwise generates a UUID, so ids from clients can't inject into logs.
 */
export function requestIdGenerator(header: string): (req: IncomingMessage) => string {
  const name = header.toLowerCase();
  return (req) => {
    const incoming = req.headers[name];
    return typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  };
}
