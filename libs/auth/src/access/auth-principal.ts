import type { KwikPrincipal } from '@kwik/core';
import type { PermissionSet } from '../rbac/permission-set.js';

/**
 * The principal the auth library writes into the request context: a signed-in user (access
 * token) or an API key acting for its user within its scopes.
 */
export interface AuthPrincipal extends KwikPrincipal {
  /** The user's id (for an API key: the id of the user it belongs to). */
  id: string;
  kind: 'user' | 'api-key';
  roles: readonly string[];
  /** Effective permissions of the roles (for an API key, its scopes limit them further). */
  permissions: readonly string[];
  tenantId?: string;
  /** The session of an access token. */
  sessionId?: string;
  /** The API key, when the request authenticated with one. */
  apiKeyId?: string;
  /** The API key's scopes. */
  scopes?: readonly string[];
  /** Whether the session passed a second factor. */
  mfa?: boolean;
  /** The compiled permissions of `roles` (and of the key's scopes). */
  readonly access: PrincipalAccess;
}

/** Precompiled permission checks of a principal. */
export interface PrincipalAccess {
  roles: PermissionSet;
  scopes?: PermissionSet;
}

/** The context's principal when the auth library wrote it. */
export function isAuthPrincipal(principal: KwikPrincipal | undefined): principal is AuthPrincipal {
  return principal !== undefined && typeof (principal as Partial<AuthPrincipal>).access === 'object';
}
