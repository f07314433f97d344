import { Inject, Injectable } from '@nestjs/common';
import { AUTH_SETTINGS } from '../auth.constants.js';
import type { AuthSettings } from '../auth-settings.js';
import { AccessTokenService } from './access-token.service.js';

/** The token pair of `POST /auth/login` and `POST /auth/refresh`. */
export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  /** Seconds until the access token expires. */
  expiresIn: number;
}

/** The user facts an access token carries. */
export interface TokenSubject {
  id: string;
  roles: readonly string[];
  tenantId?: string | null;
}

/** Issues and verifies Kwik's JWTs with the configured key ring. */
@Injectable()
export class TokenService {
  readonly access: AccessTokenService;

  constructor(@Inject(AUTH_SETTINGS) settings: AuthSettings) {
    this.access = new AccessTokenService(settings.ring, {
      issuer: settings.issuer,
      audience: settings.audience,
      ttl: settings.accessTokenTtl,
      mfaTtl: settings.mfaTokenTtl,
      clockTolerance: settings.clockTolerance,
    });
  }

  /** An access token for a session plus the session's current refresh token. */
  pair(user: TokenSubject, sessionId: string, refreshToken: string): TokenPair {
    const { token, expiresIn } = this.access.sign({
      sub: user.id,
      sid: sessionId,
      roles: [...user.roles],
      use: 'access',
      ...(user.tenantId ? { tid: user.tenantId } : {}),
    });
    return { accessToken: token, refreshToken, tokenType: 'Bearer', expiresIn };
  }

  /** The short-lived token between the password step and the MFA challenge (no API access). */
  mfaToken(user: TokenSubject): string {
    return this.access.sign({ sub: user.id, sid: 'mfa', roles: [], use: 'mfa' }).token;
  }
}
