import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD, RouterModule } from '@nestjs/core';
import { KWIK_REDIS, KwikConfig, type KwikRedisClient } from '@kwik/core';
import { AccessControl } from './access/access-control.service.js';
import { AuthGuard } from './access/auth.guard.js';
import { Authenticator } from './access/authenticator.js';
import { AuthRouteRule } from './access/auth-route-rule.js';
import { RoleRegistry } from './access/role-registry.service.js';
import { ApiKeyCodec } from './api-keys/api-key.codec.js';
import { ApiKeyService } from './api-keys/api-key.service.js';
import { AuditLog } from './audit/audit-log.service.js';
import type { AuthModuleOptions } from './auth-options.interface.js';
import { resolveAuthSettings, type AuthSettings } from './auth-settings.js';
import { AUTH_MODULE_OPTIONS, AUTH_SETTINGS } from './auth.constants.js';
import {
  AUTH_ASYNC_OPTIONS_TYPE,
  AUTH_OPTIONS_TYPE,
  AuthConfigurableModule,
} from './auth.module-definition.js';
import { ApiKeysController } from './http/api-keys.controller.js';
import { AuditController } from './http/audit.controller.js';
import { AuthController } from './http/auth.controller.js';
import { MfaController } from './http/mfa.controller.js';
import { SessionsController } from './http/sessions.controller.js';
import { AuthHooks } from './login/auth-hooks.service.js';
import { AuthService } from './login/auth.service.js';
import { MfaService } from './mfa/mfa.service.js';
import { RecoveryCodes } from './mfa/recovery-codes.js';
import { TotpService } from './mfa/totp.service.js';
import { PasswordHasher } from './passwords/password-hasher.js';
import { PasswordPolicy } from './passwords/password-policy.js';
import { MemoryRevocationStore } from './revocation/drivers/memory-revocation.store.js';
import { RedisRevocationStore } from './revocation/drivers/redis-revocation.store.js';
import { RevocationStore } from './revocation/revocation.store.js';
import { SessionService } from './sessions/session.service.js';
import { MemoryLoginThrottleStore } from './throttle/drivers/memory-login-throttle.store.js';
import { RedisLoginThrottleStore } from './throttle/drivers/redis-login-throttle.store.js';
import { LoginThrottle } from './throttle/login-throttle.js';
import { LoginThrottleStore } from './throttle/login-throttle.store.js';
import { TokenService } from './tokens/token.service.js';
import { UserAccounts } from './users/user-accounts.service.js';

/**
 * Authentication and authorization: sign-in with argon2id passwords and optional TOTP, JWT
 * access tokens with rotating refresh tokens, immediate revocation, API keys, RBAC with a role
 * hierarchy, and an audit log. Every route needs a principal unless `@Public()`.
 *
 * @example
 * AuthModule.forRoot({ userEntity: User, roles: { reader: { permissions: ['posts:read'] } }, path: 'api/auth' })
 */
@Module({
  controllers: [AuthController, SessionsController, ApiKeysController, MfaController, AuditController],
  providers: [
    {
      provide: AUTH_SETTINGS,
      inject: [
        AUTH_MODULE_OPTIONS,
        { token: KwikConfig, optional: true },
        { token: KWIK_REDIS, optional: true },
      ],
      useFactory: (
        options: AuthModuleOptions,
        config: KwikConfig | undefined,
        redis: KwikRedisClient | undefined,
      ) => resolveAuthSettings(options, config, Boolean(redis)),
    },
    {
      provide: RevocationStore,
      inject: [AUTH_SETTINGS, { token: KWIK_REDIS, optional: true }],
      useFactory: (settings: AuthSettings, redis: KwikRedisClient | undefined) =>
        settings.store === 'redis' && redis
          ? RedisRevocationStore.connect(redis)
          : new MemoryRevocationStore(),
    },
    {
      provide: LoginThrottleStore,
      inject: [AUTH_SETTINGS, { token: KWIK_REDIS, optional: true }],
      useFactory: (settings: AuthSettings, redis: KwikRedisClient | undefined) =>
        settings.store === 'redis' && redis
          ? new RedisLoginThrottleStore(redis)
          : new MemoryLoginThrottleStore(),
    },
    {
      provide: LoginThrottle,
      inject: [AUTH_SETTINGS, LoginThrottleStore],
      useFactory: (settings: AuthSettings, store: LoginThrottleStore) =>
        new LoginThrottle(store, {
          account: { maxFailures: settings.lockout.accountFailures, windowSeconds: settings.lockout.window },
          ip: { maxFailures: settings.lockout.ipFailures, windowSeconds: settings.lockout.window },
        }),
    },
    {
      provide: PasswordPolicy,
      inject: [AUTH_SETTINGS],
      useFactory: (settings: AuthSettings) => new PasswordPolicy(settings.password),
    },
    { provide: PasswordHasher, useFactory: () => new PasswordHasher() },
    { provide: TotpService, useFactory: () => new TotpService() },
    { provide: RecoveryCodes, useFactory: () => new RecoveryCodes() },
    ApiKeyCodec,
    AuditLog,
    RoleRegistry,
    UserAccounts,
    TokenService,
    SessionService,
    ApiKeyService,
    MfaService,
    AuthHooks,
    AuthService,
    AccessControl,
    Authenticator,
    AuthRouteRule,
    AuthGuard,
    { provide: APP_GUARD, useExisting: AuthGuard },
  ],
  exports: [
    AccessControl,
    AuditLog,
    AuthHooks,
    AuthService,
    SessionService,
    ApiKeyService,
    RoleRegistry,
    TokenService,
    UserAccounts,
    PasswordHasher,
  ],
})
export class AuthModule extends AuthConfigurableModule {
  static override forRoot(options: typeof AUTH_OPTIONS_TYPE): DynamicModule {
    return withRoutes(super.forRoot(options), options.path);
  }

  static override forRootAsync(options: typeof AUTH_ASYNC_OPTIONS_TYPE): DynamicModule {
    return withRoutes(super.forRootAsync(options), options.path);
  }
}

/** Mounts the auth controllers under `path` (RouterModule prefixes this module's routes). */
function withRoutes(module: DynamicModule, path = 'auth'): DynamicModule {
  return {
    ...module,
    imports: [...(module.imports ?? []), RouterModule.register([{ path, module: AuthModule }])],
  };
}
