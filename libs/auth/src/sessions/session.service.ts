import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { TransactionManager } from '@kwik/database';
import { IsNull, type EntityManager } from 'typeorm';
import { AUTH_SETTINGS } from '../auth.constants.js';
import type { AuthSettings } from '../auth-settings.js';
import { AuthRefreshToken } from '../entities/refresh-token.entity.js';
import { AuthSession } from '../entities/session.entity.js';
import { RevocationStore } from '../revocation/revocation.store.js';

/** Where a sign-in came from (shown in the sessions list). */
export interface SessionOrigin {
  ip?: string | null;
  userAgent?: string | null;
}

/** Outcome of presenting a refresh token. */
export type RotationResult =
  | { ok: true; session: AuthSession; refreshToken: string }
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked' }
  | { ok: false; reason: 'reused'; session: AuthSession };

const sha256 = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * Sessions and their refresh-token families. A refresh token is spent when exchanged; presenting
 * a spent one means it was stolen or replayed, so the whole family (the session) is revoked.
 * Revoking a session also revokes its access tokens at once through the {@link RevocationStore}.
 */
@Injectable()
export class SessionService {
  constructor(
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
    private readonly tx: TransactionManager,
    private readonly revocations: RevocationStore,
  ) {}

  /** Opens a session and returns its first refresh token. */
  async open(
    user: { id: string; tenantId?: string | null },
    origin: SessionOrigin,
    mfa: boolean,
  ): Promise<{ session: AuthSession; refreshToken: string }> {
    return this.tx.run(async (em) => {
      const now = new Date();
      const session = await em.save(
        em.create(AuthSession, {
          userId: user.id,
          tenantId: user.tenantId ?? null,
          lastUsedAt: now,
          expiresAt: new Date(now.getTime() + this.settings.sessionMaxAge * 1000),
          revokedAt: null,
          revokedReason: null,
          userAgent: origin.userAgent?.slice(0, 300) ?? null,
          ip: origin.ip ?? null,
          mfa,
        }),
      );
      return { session, refreshToken: await this.issue(em, session, now) };
    });
  }

  /** Spends a refresh token and issues the next one of its family, detecting reuse. */
  async rotate(refreshToken: string): Promise<RotationResult> {
    if (refreshToken.length < 20 || refreshToken.length > 200) return { ok: false, reason: 'unknown' };
    const hash = sha256(refreshToken);
    const result = await this.tx.run(async (em): Promise<RotationResult> => {
      const now = new Date();
      // The conditional UPDATE is the atomic spend: of two concurrent uses, one wins.
      const spent = await em
        .createQueryBuilder()
        .update(AuthRefreshToken)
        .set({ usedAt: now })
        .where('hash = :hash AND "usedAt" IS NULL', { hash })
        .returning(['sessionId', 'expiresAt'])
        .execute();
      const row = (spent.raw as { sessionId: string; expiresAt: Date }[])[0];
      if (!row) {
        const known = await em.findOne(AuthRefreshToken, { where: { hash } });
        if (!known) return { ok: false, reason: 'unknown' };
        const session = await em.findOneByOrFail(AuthSession, { id: known.sessionId });
        return { ok: false, reason: 'reused', session };
      }
      const session = await em.findOneByOrFail(AuthSession, { id: row.sessionId });
      if (session.revokedAt) return { ok: false, reason: 'revoked' };
      if (new Date(row.expiresAt) <= now || session.expiresAt <= now) return { ok: false, reason: 'expired' };
      session.lastUsedAt = now;
      await em.update(AuthSession, { id: session.id }, { lastUsedAt: now });
      return { ok: true, session, refreshToken: await this.issue(em, session, now) };
    });
    if (!result.ok && result.reason === 'reused' && !result.session.revokedAt)
      await this.revoke([result.session.id], 'refresh-reuse');
    return result;
  }

  /** Revokes sessions (their refresh tokens and, at once, their access tokens). */
  async revoke(ids: readonly string[], reason: string): Promise<void> {
    if (ids.length === 0) return;
    await this.tx
      .getRepository(AuthSession)
      .createQueryBuilder()
      .update()
      .set({ revokedAt: () => 'now()', revokedReason: reason })
      .where('id IN (:...ids) AND "revokedAt" IS NULL', { ids })
      .execute();
    await this.revocations.revoke(
      ids,
      Date.now() + (this.settings.accessTokenTtl + this.settings.clockTolerance) * 1000,
    );
  }

  /** Revokes every live session of a user; returns their ids. */
  async revokeAllOf(userId: string, reason: string): Promise<string[]> {
    const ids = (await this.active(userId)).map((s) => s.id);
    await this.revoke(ids, reason);
    return ids;
  }

  /** The user's live sessions, most recently used first. */
  active(userId: string): Promise<AuthSession[]> {
    return this.tx.getRepository(AuthSession).find({
      where: { userId, revokedAt: IsNull() },
      order: { lastUsedAt: 'DESC' },
      take: 100,
    });
  }

  /** One session of the user, or null. */
  find(userId: string, id: string): Promise<AuthSession | null> {
    return this.tx.getRepository(AuthSession).findOneBy({ id, userId });
  }

  private async issue(em: EntityManager, session: AuthSession, now: Date): Promise<string> {
    const token = `rt_${randomBytes(32).toString('base64url')}`;
    const idleEnd = now.getTime() + this.settings.refreshTokenTtl * 1000;
    await em.insert(AuthRefreshToken, {
      sessionId: session.id,
      hash: sha256(token),
      expiresAt: new Date(Math.min(idleEnd, session.expiresAt.getTime())),
      usedAt: null,
    });
    return token;
  }
}
