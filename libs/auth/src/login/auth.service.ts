import { Inject, Injectable } from '@nestjs/common';
import { ProblemException, RequestContext } from '@kwik/core';
import { TransactionManager } from '@kwik/database';
import { AUTH_SETTINGS } from '../auth.constants.js';
import type { AuthSettings } from '../auth-settings.js';
import { locked, unauthorized } from '../auth.problems.js';
import { AuditEventType, AuditLog } from '../audit/audit-log.service.js';
import { MfaService } from '../mfa/mfa.service.js';
import { PasswordHasher } from '../passwords/password-hasher.js';
import { PasswordPolicy } from '../passwords/password-policy.js';
import { SessionService, type SessionOrigin } from '../sessions/session.service.js';
import { LoginThrottle } from '../throttle/login-throttle.js';
import { TokenRejected } from '../tokens/access-token.service.js';
import { TokenService, type TokenPair } from '../tokens/token.service.js';
import { UserAccounts, type AuthUser } from '../users/user-accounts.service.js';
import { AuthHooks } from './auth-hooks.service.js';

/** What `POST /auth/login` answers: a token pair, or the MFA step. */
export type LoginResult = TokenPair | { mfaRequired: true; mfaToken: string };

/** The same refusal for an unknown email and a wrong password (no account enumeration). */
const BAD_CREDENTIALS = 'The email or password is incorrect.';

/**
 * Sign-in, the MFA step, refresh, logout and registration. Failed sign-ins are throttled per
 * account and per ip; an unknown email costs the same password hashing as a wrong password.
 */
@Injectable()
export class AuthService {
  constructor(
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
    private readonly users: UserAccounts,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly throttle: LoginThrottle,
    private readonly sessions: SessionService,
    private readonly tokens: TokenService,
    private readonly mfa: MfaService,
    private readonly audit: AuditLog,
    private readonly context: RequestContext,
    private readonly tx: TransactionManager,
    private readonly hooks: AuthHooks,
  ) {}

  async login(email: string, password: string, origin: SessionOrigin): Promise<LoginResult> {
    const account = email.trim().toLowerCase();
    const ip = origin.ip ?? 'unknown';
    const gate = await this.throttle.check({ account, ip });
    if (!gate.allowed) {
      await this.audit.record({
        type: AuditEventType.LoginLocked,
        actorId: null,
        details: { email: account },
      });
      throw locked(gate.retryAfterSeconds);
    }
    const candidates = await this.users.forLogin(account);
    if (candidates.length > 1)
      throw new ProblemException({
        status: 400,
        kind: 'tenant-required',
        title: 'Bad Request',
        detail:
          'Several organizations have an account with this email: name the organization (X-Tenant-ID header).',
      });
    const user = candidates[0];
    const check = user
      ? await this.hasher.verify(user.passwordHash, password)
      : await this.hasher.verifyDummy(password);
    if (!user || !check.valid || user.disabledAt) {
      await this.throttle.recordFailure({ account, ip });
      await this.audit.record({
        type: AuditEventType.LoginFailed,
        actorId: null,
        subject: user?.id ?? null,
        details: {
          email: account,
          reason: !user ? 'unknown-email' : user.disabledAt && check.valid ? 'disabled' : 'bad-password',
        },
      });
      throw unauthorized(BAD_CREDENTIALS, 'invalid_grant');
    }
    await this.throttle.recordSuccess({ account });
    if (check.needsRehash) await this.users.setPasswordHash(user.id, await this.hasher.hash(password));
    if (await this.mfa.isEnabled(user.id)) return { mfaRequired: true, mfaToken: this.tokens.mfaToken(user) };
    return this.signIn(user, origin, false);
  }

  /** The second step: the MFA token of `login` plus a TOTP or recovery code. */
  async challenge(mfaToken: string, code: string, origin: SessionOrigin): Promise<TokenPair> {
    let userId: string;
    try {
      userId = this.tokens.access.verify(mfaToken, 'mfa').sub;
    } catch (error) {
      if (error instanceof TokenRejected)
        throw unauthorized(`The MFA token was refused: ${error.message}.`, 'invalid_grant');
      throw error;
    }
    const ip = origin.ip ?? 'unknown';
    const gate = await this.throttle.check({ account: `mfa:${userId}`, ip });
    if (!gate.allowed) throw locked(gate.retryAfterSeconds);
    const user = await this.users.byId(userId);
    if (!user || user.disabledAt || !(await this.mfa.verifyForLogin(userId, code))) {
      await this.throttle.recordFailure({ account: `mfa:${userId}`, ip });
      await this.audit.record({ type: AuditEventType.MfaFailed, actorId: userId, subject: userId });
      throw unauthorized('The code is incorrect or was already used.', 'invalid_grant');
    }
    await this.throttle.recordSuccess({ account: `mfa:${userId}` });
    return this.signIn(user, origin, true);
  }

  /** Exchanges a refresh token for a new pair; a spent one revokes its whole session. */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const result = await this.sessions.rotate(refreshToken);
    if (!result.ok) {
      if (result.reason === 'reused') {
        await this.audit.record({
          type: AuditEventType.RefreshReused,
          actorId: result.session.userId,
          subject: result.session.id,
          details: { action: 'session revoked' },
        });
        throw unauthorized(
          'This refresh token was already used: the session has been revoked. Sign in again.',
          'invalid_grant',
        );
      }
      throw unauthorized(`The refresh token is ${result.reason}. Sign in again.`, 'invalid_grant');
    }
    const user = await this.users.byId(result.session.userId);
    if (!user || user.disabledAt) {
      await this.sessions.revoke([result.session.id], 'user-disabled');
      throw unauthorized('The account is disabled.', 'invalid_grant');
    }
    return this.tokens.pair(user, result.session.id, result.refreshToken);
  }

  /** Ends one session of the user. */
  async logout(userId: string, sessionId: string, reason = 'logout'): Promise<boolean> {
    const session = await this.sessions.find(userId, sessionId);
    if (!session) return false;
    await this.sessions.revoke([session.id], reason);
    await this.audit.record({
      type: AuditEventType.SessionRevoked,
      subject: session.id,
      details: { reason },
    });
    return true;
  }

  /** Ends every session of the user. */
  async logoutEverywhere(userId: string): Promise<number> {
    const ids = await this.sessions.revokeAllOf(userId, 'logout-all');
    await this.audit.record({
      type: AuditEventType.LogoutAll,
      subject: userId,
      details: { sessions: ids.length },
    });
    return ids.length;
  }

  /**
   * Creates an account with the default roles (password policy applied) and signs it in. The user,
   * the {@link AuthHooks} `onRegistered` hooks, the audit rows and the session are written in one
   * transaction (joined when the caller already runs one): a hook that throws leaves nothing behind.
   */
  async register(
    input: { email: string; password: string; displayName: string },
    origin: SessionOrigin,
    extra: Record<string, unknown> = {},
  ): Promise<{ user: AuthUser; tokens: TokenPair }> {
    const problems = this.policy.check(input.password, { email: input.email });
    if (problems.length)
      throw ProblemException.validation(problems.map((message) => ({ field: 'password', message })));
    if ((await this.users.forLogin(input.email)).length)
      throw new ProblemException({
        status: 409,
        kind: 'email-taken',
        title: 'Conflict',
        detail: 'An account with this email already exists.',
      });
    // Hashing is slow on purpose: done before the transaction takes a connection.
    const passwordHash = await this.hasher.hash(input.password);
    return this.tx.run(async (manager) => {
      const user = await this.users.create(
        { ...input, passwordHash, roles: this.settings.defaultRoles },
        {
          ...(this.context.tenant?.id && this.users.tenanted ? { tenantId: this.context.tenant.id } : {}),
          ...extra,
        },
      );
      await this.hooks.registered({ user, manager });
      await this.audit.record({ type: AuditEventType.UserRegistered, actorId: user.id, subject: user.id });
      return { user, tokens: await this.signIn(user, origin, false) };
    });
  }

  private async signIn(user: AuthUser, origin: SessionOrigin, mfa: boolean): Promise<TokenPair> {
    const { session, refreshToken } = await this.sessions.open(user, origin, mfa);
    await this.audit.record({
      type: AuditEventType.LoginSucceeded,
      actorId: user.id,
      subject: session.id,
      tenantId: user.tenantId ?? null,
      details: { mfa },
    });
    return this.tokens.pair(user, session.id, refreshToken);
  }
}
