import { CLS_ID } from 'nestjs-cls';
import type { IncomingMessage } from 'node:http';
import { KWIK_CONTEXT_STORE } from '../kwik.constants.js';
import type { KwikPrincipal, KwikTenantRef } from './context.types.js';

/** Keys under which core keeps its facts in the context store. */
export const CONTEXT_KEYS = {
  requestId: CLS_ID,
  ip: 'kwik:core:ip',
  principal: 'kwik:core:principal',
  tenant: 'kwik:core:tenant',
  apiVersion: 'kwik:core:apiVersion',
} as const;

/** The identity fields every log line carries, read from a context store. */
export interface ContextLogFields {
  requestId?: string;
  userId?: string;
  tenantId?: string;
  ip?: string;
}

/** Reads the log fields from a context store object (or nothing). */
export function logFieldsOf(store: Record<string | symbol, unknown> | undefined): ContextLogFields {
  if (!store) return {};
  const principal = store[CONTEXT_KEYS.principal] as KwikPrincipal | undefined;
  const tenant = store[CONTEXT_KEYS.tenant] as KwikTenantRef | undefined;
  const fields: ContextLogFields = {};
  const requestId = store[CONTEXT_KEYS.requestId];
  if (typeof requestId === 'string') fields.requestId = requestId;
  if (principal?.id) fields.userId = principal.id;
  if (tenant?.id) fields.tenantId = tenant.id;
  const ip = store[CONTEXT_KEYS.ip];
  if (typeof ip === 'string') fields.ip = ip;
  return fields;
}

/** The context store linked to a raw Node request by core's context middleware, if any. */
export function contextStoreOf(raw: IncomingMessage): Record<string | symbol, unknown> | undefined {
  return (raw as IncomingMessage & { [KWIK_CONTEXT_STORE]?: Record<string | symbol, unknown> })[
    KWIK_CONTEXT_STORE
  ];
}
