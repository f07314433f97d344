import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { KwikError, type KwikConfig } from '@kwik/core';
import type { AuthModuleOptions, AuthRoleDefinition } from './auth-options.interface.js';
import { JwtKeyRing, type AuthJwtAlgorithm } from './tokens/jwt-key-ring.js';

const MIN_SECRET = 32;

/** The auth options with every default applied, checked once at boot and frozen. */
export interface AuthSettings {
  readonly userEntity: AuthModuleOptions['userEntity'];
  readonly roles: Readonly<Record<string, AuthRoleDefinition>>;
  readonly defaultRoles: readonly string[];
  readonly registration: boolean;
  readonly ring: JwtKeyRing;
  readonly issuer: string;
  readonly audience: string;
  readonly clockTolerance: number;
  readonly accessTokenTtl: number;
  readonly refreshTokenTtl: number;
  readonly sessionMaxAge: number;
  readonly mfaTokenTtl: number;
  readonly mfaIssuer: string;
  /** Secret for sealing TOTP secrets at rest. */
  readonly secret: string;
  readonly password: {
    minLength: number;
    maxLength: number;
    denylist: readonly string[];
    rejectCommon: boolean;
  };
  readonly lockout: { accountFailures: number; ipFailures: number; window: number };
  readonly store: 'memory' | 'redis';
  readonly apiKeyLastUsedFlushSeconds: number;
  readonly apiKeyCacheSeconds: number;
}

/** Applies defaults and checks the options; every problem is reported at once. */
export function resolveAuthSettings(
  options: AuthModuleOptions,
  config: KwikConfig | undefined,
  hasRedis: boolean,
): AuthSettings {
  const problems: string[] = [];
  const seconds = (name: string, value: number | undefined, fallback: number, min = 1): number => {
    const v = value ?? fallback;
    if (!Number.isInteger(v) || v < min)
      problems.push(`${name} must be a whole number of seconds ≥ ${min} (got ${v})`);
    return v;
  };
  if (typeof options.userEntity !== 'function')
    problems.push('userEntity must be the app’s user entity class (extending KwikUser)');
  if (!options.roles || Object.keys(options.roles).length === 0)
    problems.push('roles must declare at least one role');
  const defaultRoles = options.defaultRoles ?? [];
  for (const role of defaultRoles)
    if (!options.roles?.[role]) problems.push(`defaultRoles names unknown role "${role}"`);
  const accessTokenTtl = seconds('accessTokenTtl', options.accessTokenTtl, 900);
  const refreshTokenTtl = seconds('refreshTokenTtl', options.refreshTokenTtl, 30 * 86_400);
  const sessionMaxAge = seconds('sessionMaxAge', options.sessionMaxAge, 90 * 86_400);
  const mfaTokenTtl = seconds('mfaTokenTtl', options.mfaTokenTtl, 300);
  const clockTolerance = seconds('jwt.clockToleranceSeconds', options.jwt?.clockToleranceSeconds, 5, 0);
  const password = {
    minLength: seconds('password.minLength', options.password?.minLength, 12, 8),
    maxLength: seconds('password.maxLength', options.password?.maxLength, 128, 16),
    denylist: options.password?.denylist ?? [],
    rejectCommon: options.password?.rejectCommon ?? true,
  };
  const lockout = {
    accountFailures: seconds('lockout.accountFailures', options.lockout?.accountFailures, 5),
    ipFailures: seconds('lockout.ipFailures', options.lockout?.ipFailures, 50),
    window: seconds('lockout.window', options.lockout?.window, 900),
  };
  const apiKeyLastUsedFlushSeconds = seconds(
    'apiKeyLastUsedFlushSeconds',
    options.apiKeyLastUsedFlushSeconds,
    60,
  );
  const apiKeyCacheSeconds = seconds('apiKeyCacheSeconds', options.apiKeyCacheSeconds, 60, 0);
  const store = options.store ?? (hasRedis ? 'redis' : 'memory');
  if (store === 'redis' && !hasRedis)
    problems.push('store is "redis" but core has no Redis client: set REDIS_URL');
  const secret = options.secret ?? config?.APP_SECRET;
  if (secret !== undefined && secret.length < MIN_SECRET)
    problems.push(`the auth secret must be at least ${MIN_SECRET} characters`);
  const production = (config?.NODE_ENV ?? process.env.NODE_ENV) === 'production';
  if (problems.length === 0 && secret === undefined && production)
    problems.push(
      'in production the auth library needs APP_SECRET (≥ 32 characters, e.g. `openssl rand -base64 32`) or AuthModule.forRoot({ secret })',
    );
  if (problems.length)
    throw new KwikError(
      'KWIK_AUTH_INVALID_OPTIONS',
      `AuthModule options are invalid: ${problems.join('; ')}.`,
    );

  const algorithm: AuthJwtAlgorithm = options.jwt?.algorithm ?? 'ES256';
  let ring: JwtKeyRing;
  if (options.jwt?.keys?.length) ring = JwtKeyRing.fromKeys(options.jwt.keys, algorithm);
  else if (secret !== undefined) ring = JwtKeyRing.derive(secret);
  else {
    new Logger('KwikAuth').warn(
      'APP_SECRET is unset: tokens are signed with a random per-process key and do not survive a restart (set APP_SECRET, or AuthModule jwt.keys).',
    );
    ring = JwtKeyRing.ephemeral();
  }
  return Object.freeze({
    userEntity: options.userEntity,
    roles: options.roles,
    defaultRoles,
    registration: options.registration ?? true,
    ring,
    issuer: options.jwt?.issuer ?? 'kwik',
    audience: options.jwt?.audience ?? 'kwik-api',
    clockTolerance,
    accessTokenTtl,
    refreshTokenTtl,
    sessionMaxAge,
    mfaTokenTtl,
    mfaIssuer: options.mfaIssuer ?? 'Kwik',
    secret: secret ?? randomBytes(32).toString('base64url'),
    password,
    lockout,
    store,
    apiKeyLastUsedFlushSeconds,
    apiKeyCacheSeconds,
  });
}
