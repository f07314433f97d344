export { AuthModule } from './auth.module.js';
export {
  AUTH_ASYNC_OPTIONS_TYPE,
  AUTH_OPTIONS_TYPE,
  type AuthModuleExtras,
} from './auth.module-definition.js';
export type { AuthJwtKey, AuthModuleOptions, AuthRoleDefinition } from './auth-options.interface.js';
export type { AuthSettings } from './auth-settings.js';
export { AUTH_SETTINGS } from './auth.constants.js';

export { KwikUser } from './entities/kwik-user.entity.js';
export { AUTH_ENTITIES } from './entities/auth-entities.js';
export { AuthSession } from './entities/session.entity.js';
export { AuthRefreshToken } from './entities/refresh-token.entity.js';
export { AuthApiKey } from './entities/api-key.entity.js';
export { AuthRole } from './entities/role.entity.js';
export { AuthMfa } from './entities/mfa.entity.js';
export { AuthAuditEvent } from './entities/audit-event.entity.js';
export { AuthSchema1795400000000 } from './migrations/auth-schema.migration.js';

export {
  ApiAuthenticated,
  AuthMetadata,
  CurrentUser,
  HasPermission,
  HasRole,
  Public,
} from './decorators/auth.decorators.js';
export { AuthGuard } from './access/auth.guard.js';
export {
  AccessControl,
  type AccessVerdict,
  type CrudAccessHook,
  type CrudAccessOptions,
} from './access/access-control.service.js';
export { isAuthPrincipal, type AuthPrincipal, type PrincipalAccess } from './access/auth-principal.js';
export { RoleRegistry } from './access/role-registry.service.js';
export {
  AuditEventType,
  AuditLog,
  type AuditEventTypeValue,
  type AuditInput,
  type AuditQuery,
} from './audit/audit-log.service.js';
export { AuthService, type LoginResult } from './login/auth.service.js';
export { AuthHooks, type AuthHook, type UserRegisteredEvent } from './login/auth-hooks.service.js';
export { SessionService, type SessionOrigin } from './sessions/session.service.js';
export { ApiKeyService, type ApiKeyView } from './api-keys/api-key.service.js';
export { MfaService, type MfaEnrollment } from './mfa/mfa.service.js';
export { TokenService, type TokenPair } from './tokens/token.service.js';
export { UserAccounts, type AuthUser } from './users/user-accounts.service.js';
export { PasswordHasher } from './passwords/password-hasher.js';
export { RevocationStore } from './revocation/revocation.store.js';
export {
  createAuthTestUser,
  type AuthTestTarget,
  type AuthTestUser,
  type AuthTestUserOptions,
} from './testing/auth-test-user.js';
