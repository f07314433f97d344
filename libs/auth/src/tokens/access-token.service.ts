import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { Strategy as JwtStrategy, type StrategyOptionsWithoutRequest } from 'passport-jwt';
import type { JwtKeyRing } from './jwt-key-ring.js';

/** What Kwik writes into an access (or MFA) token. */
export interface AccessClaims {
  /** User id. */
  sub: string;
  /** Session (refresh family) id; revoking the session revokes the token. */
  sid: string;
  /** Token id. */
  jti: string;
  /** Tenant id of the user, when the user entity has one. */
  tid?: string;
  /** Role names at issue time. */
  roles: string[];
  /** `access`, or `mfa` for the token between the password step and the MFA challenge. */
  use: 'access' | 'mfa';
  exp: number;
  iat: number;
}

/** Why a token was refused (the 401 detail). */
export class TokenRejected extends Error {}

interface VerifyResult {
  claims?: AccessClaims;
  reason?: string;
}

const CACHE_MAX = 10_000;
const REJECTED_MAX = 1_000;

/**
 * Signs access tokens with the ring's first key and verifies them with passport-jwt (issuer,
 * audience, `kid` and the ring's algorithms pinned, so `alg: none` and HMAC-with-the-public-key
 * tokens fail). A verified token's claims are kept (bounded, until it expires) so that a token
 * used again costs a map lookup, not a signature check; revocation is checked by the caller on
 * every request regardless.
 */
export class AccessTokenService {
  private readonly strategy: JwtStrategy;
  private readonly verified = new Map<string, AccessClaims>();
  /**
   * Tokens refused for good (bad signature, expired, foreign issuer...) and why: a client retrying
   * with its expired token, or many requests carrying one forged token, cost one signature check.
   */
  private readonly rejected = new Map<string, string>();

  constructor(
    private readonly ring: JwtKeyRing,
    private readonly settings: {
      issuer: string;
      audience: string;
      ttl: number;
      mfaTtl: number;
      clockTolerance: number;
    },
  ) {
    const options: StrategyOptionsWithoutRequest = {
      jwtFromRequest: (req: { token: string }) => req.token,
      secretOrKeyProvider: (_req, raw, done) => {
        const key = this.ring.key(kidOf(raw as string));
        if (!key) return done(new TokenRejected(UNKNOWN_KEY));
        done(null, key.publicKey as unknown as string);
      },
      issuer: settings.issuer,
      audience: settings.audience,
      algorithms: ring.algorithms,
      jsonWebTokenOptions: { clockTolerance: settings.clockTolerance },
    };
    this.strategy = new JwtStrategy(options, (payload: AccessClaims, done) => done(null, payload));
  }

  /** A signed token and its lifetime in seconds. */
  sign(claims: Omit<AccessClaims, 'jti' | 'exp' | 'iat'>): { token: string; expiresIn: number } {
    const expiresIn = claims.use === 'mfa' ? this.settings.mfaTtl : this.settings.ttl;
    const { kid, algorithm, privateKey } = this.ring.signing;
    const token = jwt.sign({ ...claims }, privateKey, {
      algorithm,
      keyid: kid,
      expiresIn,
      issuer: this.settings.issuer,
      audience: this.settings.audience,
      jwtid: randomUUID(),
    });
    return { token, expiresIn };
  }

  /** The claims of a valid token of the given use, or throws {@link TokenRejected} saying why. */
  verify(token: string, use: AccessClaims['use'] = 'access'): AccessClaims {
    const now = Date.now() / 1000;
    let claims = this.verified.get(token);
    if (claims !== undefined && claims.exp + this.settings.clockTolerance <= now) {
      this.verified.delete(token);
      claims = undefined;
    }
    if (claims === undefined) {
      const refused = this.rejected.get(token);
      if (refused !== undefined) throw new TokenRejected(refused);
      claims = this.checkRemembering(token);
      if (this.verified.size >= CACHE_MAX) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, claims);
    }
    if (claims.use !== use) throw new TokenRejected(`it is not an ${use} token`);
    return claims;
  }

  /** {@link check}, remembering a refusal that no later moment can change. */
  private checkRemembering(token: string): AccessClaims {
    try {
      return this.check(token);
    } catch (error) {
      // Not remembered: a token not valid yet becomes valid, a key may be added to the ring.
      if (
        error instanceof TokenRejected &&
        error.message !== NOT_YET_VALID &&
        error.message !== UNKNOWN_KEY
      ) {
        if (this.rejected.size >= REJECTED_MAX) this.rejected.delete(this.rejected.keys().next().value!);
        this.rejected.set(token, error.message);
      }
      throw error;
    }
  }

  private check(token: string): AccessClaims {
    // passport-jwt's verification run directly (what passport.authenticate does): one object per
    // call with success / fail / error, and a synchronous jsonwebtoken verification underneath.
    const result: VerifyResult = {};
    const run = Object.create(this.strategy) as JwtStrategy & {
      success(user: AccessClaims): void;
      fail(info: unknown): void;
      error(error: unknown): void;
    };
    run.success = (user) => (result.claims = user);
    run.fail = (info) => (result.reason = describe(info));
    run.error = (error) => (result.reason = describe(error));
    run.authenticate({ token } as never, {});
    if (result.claims === undefined) throw new TokenRejected(result.reason ?? 'it could not be verified');
    if (!isClaims(result.claims)) throw new TokenRejected('its claims are not a Kwik token’s');
    return result.claims;
  }
}

const NOT_YET_VALID = 'it is not valid yet';
const UNKNOWN_KEY = 'its key id (kid) is missing or unknown';

function kidOf(token: string): string | undefined {
  const dot = token.indexOf('.');
  if (dot <= 0) return undefined;
  try {
    const header = JSON.parse(Buffer.from(token.slice(0, dot), 'base64url').toString('utf8')) as {
      kid?: unknown;
    };
    return typeof header.kid === 'string' ? header.kid : undefined;
  } catch {
    return undefined; // not JSON: jsonwebtoken reports the token as malformed
  }
}

function describe(info: unknown): string {
  if (info instanceof jwt.TokenExpiredError) return 'it has expired';
  if (info instanceof jwt.NotBeforeError) return NOT_YET_VALID;
  if (info instanceof TokenRejected) return info.message;
  const message = info instanceof Error ? info.message : String(info ?? '');
  if (/audience/i.test(message)) return 'it was issued for another audience';
  if (/issuer/i.test(message)) return 'it was issued by another issuer';
  if (/signature/i.test(message)) return 'its signature is invalid';
  if (/algorithm/i.test(message)) return 'its algorithm is not accepted';
  return 'it is malformed';
}

function isClaims(value: unknown): value is AccessClaims {
  const c = value as Partial<AccessClaims>;
  return (
    typeof c.sub === 'string' &&
    typeof c.sid === 'string' &&
    Array.isArray(c.roles) &&
    c.roles.every((r) => typeof r === 'string') &&
    (c.use === 'access' || c.use === 'mfa') &&
    typeof c.exp === 'number'
  );
}
