import type { Type } from '@nestjs/common';
import type { KwikUser } from './entities/kwik-user.entity.js';

/** One signing / verification key of the JWT key ring. */
export interface AuthJwtKey {
  /** Key id written into the token header (`kid`); unique in the ring. */
  kid: string;
  /** PEM private key; only the first key of the ring signs, so older keys need only `publicKey`. */
  privateKey?: string;
  /** PEM public key (derived from `privateKey` when omitted). */
  publicKey?: string;
}

/** A role of the hierarchy: what it grants and which roles it includes. */
export interface AuthRoleDefinition {
  /** Roles whose permissions this role also has. */
  inherits?: readonly string[];
  /** `resource:action`, `resource:action:own`, `resource:*` or `*`. */
  permissions: readonly string[];
  description?: string;
}

/** Options of `AuthModule.forRoot()`; every duration is in seconds. */
export interface AuthModuleOptions {
  /** The app's user entity: a TypeORM `@Entity` class extending {@link KwikUser}. */
  userEntity: Type<KwikUser>;
  /** Roles → permissions, with a hierarchy; stored in `kwik_auth_roles` at boot. */
  roles: Record<string, AuthRoleDefinition>;
  /** Roles a newly registered user gets. @default [] */
  defaultRoles?: readonly string[];
  /** Allow `POST /auth/register`. @default true */
  registration?: boolean;
  /** Path prefix of the auth routes. @default 'auth' */
  routePrefix?: string;
  jwt?: {
    /** Signing algorithm of the ring's first key. @default 'ES256' */
    algorithm?: 'ES256' | 'ES384' | 'RS256' | 'PS256';
    /** `iss` claim written and required. @default 'kwik' */
    issuer?: string;
    /** `aud` claim written and required. @default 'kwik-api' */
    audience?: string;
    /**
     * The key ring; the first key signs, all verify (rotation: put the new key first and keep
     * the old one until the last token it signed has expired). When absent the signing key is
     * derived from `secret` / `APP_SECRET`; in development without either, a random key per process.
     */
    keys?: readonly AuthJwtKey[];
    /** Clock tolerance when checking `exp` / `nbf`. @default 5 */
    clockToleranceSeconds?: number;
  };
  /** Secret the signing key is derived from when `jwt.keys` is absent. @default config `APP_SECRET` */
  secret?: string;
  /** Lifetime of an access token. @default 900 (15 min) */
  accessTokenTtl?: number;
  /** A refresh token unused this long expires. @default 2592000 (30 days) */
  refreshTokenTtl?: number;
  /** A session ends this long after login, however often it is refreshed. @default 7776000 (90 days) */
  sessionMaxAge?: number;
  /** Lifetime of the token between the password step and the MFA challenge. @default 300 */
  mfaTokenTtl?: number;
  /** Issuer shown in authenticator apps. @default 'Kwik' */
  mfaIssuer?: string;
  password?: {
    /** @default 12 */
    minLength?: number;
    /** @default 128 */
    maxLength?: number;
    /** Words refused besides the common-password list. */
    denylist?: readonly string[];
    /** Refuse the common passwords of @zxcvbn-ts/language-common. @default true */
    rejectCommon?: boolean;
  };
  lockout?: {
    /** Failures of one account before it is locked. @default 5 */
    accountFailures?: number;
    /** Failures from one ip before it is locked. @default 50 */
    ipFailures?: number;
    /** Window the failures are counted in. @default 900 */
    window?: number;
  };
  /** Where revocations and lockout counters live. @default 'redis' when core has Redis, else 'memory' */
  store?: 'memory' | 'redis';
  /** How often API keys' last-used times are written. @default 60 */
  apiKeyLastUsedFlushSeconds?: number;
  /** How long a looked-up API key is trusted before it is read again (revocation is immediate regardless). @default 60 */
  apiKeyCacheSeconds?: number;
}
