import { Injectable, Logger } from '@nestjs/common';
import { RequestContext } from '@kwik/core';
import { TransactionManager } from '@kwik/database';
import type { EntityManager, QueryDeepPartialEntity } from 'typeorm';
import { AuthAuditEvent } from '../entities/audit-event.entity.js';

/** The audited auth events. */
export const AuditEventType = {
  LoginSucceeded: 'login.succeeded',
  LoginFailed: 'login.failed',
  LoginLocked: 'login.locked',
  RefreshReused: 'refresh.reused',
  SessionRevoked: 'session.revoked',
  LogoutAll: 'session.revoked-all',
  ApiKeyCreated: 'api-key.created',
  ApiKeyRevoked: 'api-key.revoked',
  MfaEnabled: 'mfa.enabled',
  MfaDisabled: 'mfa.disabled',
  MfaFailed: 'mfa.failed',
  PermissionDenied: 'permission.denied',
  UserRegistered: 'user.registered',
} as const;
export type AuditEventTypeValue = (typeof AuditEventType)[keyof typeof AuditEventType];

/** What to record besides what the request context already knows. */
export interface AuditInput {
  type: AuditEventTypeValue;
  /** The acting user; defaults to the context's principal. */
  actorId?: string | null;
  subject?: string | null;
  tenantId?: string | null;
  details?: Record<string, unknown>;
}

/** Filters of {@link AuditLog.query}. */
export interface AuditQuery {
  type?: string;
  actorId?: string;
  subject?: string;
  tenantId?: string;
  since?: Date;
  until?: Date;
  /** @default 50, at most 500 */
  limit?: number;
}

/**
 * The auth audit log (`kwik_auth_audit`): who did what, from which ip, in which request, when.
 * Rows join the ambient transaction when there is one (`TransactionManager`), else stand alone.
 *
 * @example
 * await audit.record({ type: AuditEventType.ApiKeyCreated, subject: key.id });
 * await audit.query({ actorId: user.id, limit: 20 });
 */
@Injectable()
export class AuditLog {
  private readonly logger = new Logger('KwikAudit');

  constructor(
    private readonly tx: TransactionManager,
    private readonly context: RequestContext,
  ) {}

  /**
   * Writes one event; a failure is logged, never thrown into the request. Inside a transaction
   * (`TransactionManager.run()`) the row joins it behind a savepoint, so a failed insert is undone
   * alone instead of aborting the caller's transaction (whose COMMIT would then silently roll back).
   */
  async record(input: AuditInput): Promise<void> {
    const principal = this.context.principal;
    const row = {
      type: input.type,
      actorId: input.actorId === undefined ? (principal?.id ?? null) : input.actorId,
      subject: input.subject ?? null,
      tenantId: input.tenantId ?? (principal?.tenantId as string | undefined) ?? null,
      ip: this.context.ip ?? null,
      requestId: this.context.requestId ?? null,
      details: (input.details ?? {}) as never,
    };
    try {
      if (!this.tx.inTransaction) await this.tx.getRepository(AuthAuditEvent).insert(row);
      else await this.insertBehindSavepoint(this.tx.manager, row);
    } catch (error) {
      this.logger.error(`Audit event ${input.type} could not be written: ${String(error)}`);
    }
  }

  /** Events matching the filters, newest first. */
  query(filters: AuditQuery = {}): Promise<AuthAuditEvent[]> {
    const qb = this.tx.getRepository(AuthAuditEvent).createQueryBuilder('e').orderBy('e.at', 'DESC');
    if (filters.type) qb.andWhere('e.type = :type', { type: filters.type });
    if (filters.actorId) qb.andWhere('e."actorId" = :actorId', { actorId: filters.actorId });
    if (filters.subject) qb.andWhere('e.subject = :subject', { subject: filters.subject });
    if (filters.tenantId) qb.andWhere('e."tenantId" = :tenantId', { tenantId: filters.tenantId });
    if (filters.since) qb.andWhere('e.at >= :since', { since: filters.since });
    if (filters.until) qb.andWhere('e.at < :until', { until: filters.until });
    return qb.take(Math.min(Math.max(filters.limit ?? 50, 1), 500)).getMany();
  }

  private async insertBehindSavepoint(
    manager: EntityManager,
    row: QueryDeepPartialEntity<AuthAuditEvent>,
  ): Promise<void> {
    await manager.query('SAVEPOINT kwik_audit');
    try {
      await manager.getRepository(AuthAuditEvent).insert(row);
    } catch (error) {
      await manager.query('ROLLBACK TO SAVEPOINT kwik_audit');
      throw error;
    }
    await manager.query('RELEASE SAVEPOINT kwik_audit');
  }
}
