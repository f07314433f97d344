import { AuthApiKey } from './api-key.entity.js';
import { AuthAuditEvent } from './audit-event.entity.js';
import { AuthMfa } from './mfa.entity.js';
import { AuthRefreshToken } from './refresh-token.entity.js';
import { AuthRole } from './role.entity.js';
import { AuthSession } from './session.entity.js';

/** The auth library's own tables; add them to the DataSource's entities. */
export const AUTH_ENTITIES = [
  AuthSession,
  AuthRefreshToken,
  AuthApiKey,
  AuthRole,
  AuthMfa,
  AuthAuditEvent,
] as const;
