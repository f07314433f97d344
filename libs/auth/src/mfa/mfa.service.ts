import { Inject, Injectable } from '@nestjs/common';
import { ProblemException } from '@kwik/core';
import { TransactionManager } from '@kwik/database';
import { AUTH_SETTINGS } from '../auth.constants.js';
import type { AuthSettings } from '../auth-settings.js';
import { AuditEventType, AuditLog } from '../audit/audit-log.service.js';
import { SecretBox } from '../crypto/secret-box.js';
import { AuthMfa } from '../entities/mfa.entity.js';
import { RecoveryCodes } from './recovery-codes.js';
import { TotpService } from './totp.service.js';

/** What `POST /auth/mfa/enroll` answers (shown once). */
export interface MfaEnrollment {
  otpauthUrl: string;
  qrDataUrl: string;
  recoveryCodes: string[];
}

/** A 409 of the MFA state machine (`mfa-already-enabled`, `mfa-not-enrolled`, `mfa-not-enabled`). */
const conflict = (kind: string, detail: string): ProblemException =>
  new ProblemException({ status: 409, kind, title: 'Conflict', detail });

const invalidCode = (): ProblemException =>
  ProblemException.validation([{ field: 'code', message: 'is incorrect or was already used' }]);

/**
 * TOTP second factor: enrollment (secret sealed at rest, otpauth URL, QR code, hashed recovery
 * codes), activation by a first valid code, the code check of the two-step sign-in (a code is
 * never accepted twice), and disabling.
 */
@Injectable()
export class MfaService {
  private readonly box: SecretBox;

  constructor(
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
    private readonly tx: TransactionManager,
    private readonly totp: TotpService,
    private readonly recovery: RecoveryCodes,
    private readonly audit: AuditLog,
  ) {
    this.box = new SecretBox({ secret: settings.secret, purpose: 'kwik-auth-totp-secret' });
  }

  async isEnabled(userId: string): Promise<boolean> {
    const row = await this.tx
      .getRepository(AuthMfa)
      .findOne({ where: { userId }, select: { userId: true, enabledAt: true } });
    return Boolean(row?.enabledAt);
  }

  /** Starts (or restarts, while not yet enabled) an enrollment. */
  async enroll(userId: string, account: string): Promise<MfaEnrollment> {
    const repo = this.tx.getRepository(AuthMfa);
    if ((await repo.findOneBy({ userId }))?.enabledAt)
      throw conflict(
        'mfa-already-enabled',
        'MFA is already enabled for this account; disable it first to enroll a new authenticator.',
      );
    const secret = this.totp.generateSecret();
    const otpauthUrl = this.totp.otpauthUrl({ issuer: this.settings.mfaIssuer, account, secret });
    const { codes, hashes } = this.recovery.generate();
    await repo.upsert(
      { userId, secret: this.box.seal(secret), enabledAt: null, recoveryCodes: hashes, lastStep: null },
      ['userId'],
    );
    return { otpauthUrl, qrDataUrl: await this.totp.qrDataUrl(otpauthUrl), recoveryCodes: codes };
  }

  /** Confirms the enrollment with a first code; from then on sign-in asks for a code. */
  async activate(userId: string, code: string): Promise<void> {
    const row = await this.tx.getRepository(AuthMfa).findOneBy({ userId });
    if (!row)
      throw conflict(
        'mfa-not-enrolled',
        'There is no MFA enrollment to verify: call POST /auth/mfa/enroll first.',
      );
    if (!(await this.acceptTotp(row, code))) throw invalidCode();
    if (!row.enabledAt) {
      await this.tx.getRepository(AuthMfa).update({ userId }, { enabledAt: new Date() });
      await this.audit.record({ type: AuditEventType.MfaEnabled, actorId: userId, subject: userId });
    }
  }

  /** Turns MFA off after a valid code (TOTP or recovery). */
  async disable(userId: string, code: string): Promise<void> {
    const row = await this.tx.getRepository(AuthMfa).findOneBy({ userId });
    if (!row?.enabledAt) throw conflict('mfa-not-enabled', 'MFA is not enabled.');
    if (!(await this.accept(row, code))) throw invalidCode();
    await this.tx.getRepository(AuthMfa).delete({ userId });
    await this.audit.record({ type: AuditEventType.MfaDisabled, actorId: userId, subject: userId });
  }

  /** The code check of the sign-in's second step: a TOTP code or an unused recovery code. */
  async verifyForLogin(userId: string, code: string): Promise<boolean> {
    const row = await this.tx.getRepository(AuthMfa).findOneBy({ userId });
    return Boolean(row?.enabledAt) && this.accept(row!, code);
  }

  private async accept(row: AuthMfa, code: string): Promise<boolean> {
    if (/^\d{6}$/.test(code.trim())) return this.acceptTotp(row, code.trim());
    const remaining = this.recovery.consume(code, row.recoveryCodes);
    if (remaining === null) return false;
    // Conditional on the old list, so one recovery code cannot be spent twice concurrently.
    const result = await this.tx
      .getRepository(AuthMfa)
      .createQueryBuilder()
      .update()
      .set({ recoveryCodes: remaining })
      .where('"userId" = :userId AND "recoveryCodes" = :old', { userId: row.userId, old: row.recoveryCodes })
      .execute();
    return (result.affected ?? 0) === 1;
  }

  private async acceptTotp(row: AuthMfa, code: string): Promise<boolean> {
    const lastStep = row.lastStep === null ? undefined : Number(row.lastStep);
    const check = await this.totp.verify(this.box.open(row.secret), code, { lastUsedStep: lastStep });
    if (!check.valid) return false;
    // Conditional on the step, so one code cannot be accepted twice (also across instances).
    const result = await this.tx
      .getRepository(AuthMfa)
      .createQueryBuilder()
      .update()
      .set({ lastStep: String(check.step) })
      .where('"userId" = :userId AND ("lastStep" IS NULL OR "lastStep" < :step)', {
        userId: row.userId,
        step: check.step,
      })
      .execute();
    return (result.affected ?? 0) === 1;
  }
}
