import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { ProblemException } from '@kwik/core';
import { TransactionManager } from '@kwik/database';
import { IsNull } from 'typeorm';
import { AUTH_SETTINGS } from '../auth.constants.js';
import type { AuthSettings } from '../auth-settings.js';
import type { AuthPrincipal } from '../access/auth-principal.js';
import { RoleRegistry } from '../access/role-registry.service.js';
import { AuditEventType, AuditLog } from '../audit/audit-log.service.js';
import { AuthApiKey } from '../entities/api-key.entity.js';
import { RevocationStore } from '../revocation/revocation.store.js';
import { TokenRejected } from '../tokens/access-token.service.js';
import { UserAccounts } from '../users/user-accounts.service.js';
import { ApiKeyCodec } from './api-key.codec.js';
import { LastUsedBuffer } from './last-used-buffer.js';

/** A key as listed (never its secret). */
export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
}

interface CachedKey {
  row: AuthApiKey & { hash: string };
  roles: readonly string[];
  tenantId?: string;
  until: number;
}

/** Revocation-store id of an API key. */
export const apiKeyRevocationId = (id: string): string => `key:${id}`;

/**
 * API keys (`kwik_<prefix>_<secret>`): created for a user with scopes and an optional expiry,
 * shown once, stored as a SHA-256; authenticated by prefix lookup and constant-time comparison.
 * A looked-up key is remembered for `apiKeyCacheSeconds`; revocation is immediate anyway (the
 * revocation store is checked on every request), and last-used times are written in batches.
 */
@Injectable()
export class ApiKeyService implements OnApplicationShutdown {
  private readonly cache = new Map<string, CachedKey>();
  private readonly lastUsed: LastUsedBuffer;

  constructor(
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
    private readonly tx: TransactionManager,
    private readonly codec: ApiKeyCodec,
    private readonly roles: RoleRegistry,
    private readonly users: UserAccounts,
    private readonly revocations: RevocationStore,
    private readonly audit: AuditLog,
  ) {
    this.lastUsed = new LastUsedBuffer({
      intervalMs: settings.apiKeyLastUsedFlushSeconds * 1000,
      flush: (entries) => this.writeLastUsed(entries),
    });
  }

  /** Creates a key for `principal`'s user; scopes must be within the user's permissions. */
  async create(
    principal: AuthPrincipal,
    input: { name: string; scopes: string[]; expiresAt?: Date },
  ): Promise<ApiKeyView & { key: string }> {
    const outside = input.scopes.filter((scope) => !principal.access.roles.allows(scope));
    if (outside.length)
      throw ProblemException.validation(
        outside.map((scope) => ({ field: 'scopes', message: `"${scope}" is not a permission you hold` })),
      );
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now())
      throw ProblemException.validation([{ field: 'expiresAt', message: 'must be in the future' }]);
    const generated = this.codec.generate();
    const row = await this.tx.getRepository(AuthApiKey).save({
      userId: principal.id,
      tenantId: principal.tenantId ?? null,
      name: input.name,
      prefix: generated.prefix,
      hash: generated.hash,
      scopes: input.scopes,
      expiresAt: input.expiresAt ?? null,
      lastUsedAt: null,
      revokedAt: null,
    });
    await this.audit.record({
      type: AuditEventType.ApiKeyCreated,
      subject: row.id,
      details: { name: row.name, scopes: row.scopes },
    });
    return { ...view(row as AuthApiKey), key: generated.key };
  }

  /** The user's live keys. */
  async list(userId: string): Promise<ApiKeyView[]> {
    const rows = await this.tx.getRepository(AuthApiKey).find({
      where: { userId, revokedAt: IsNull() },
      order: { createdAt: 'DESC' },
    });
    return rows.map(view);
  }

  /** Revokes one of the user's keys; false when it has none with that id. */
  async revoke(userId: string, id: string): Promise<boolean> {
    const result = await this.tx
      .getRepository(AuthApiKey)
      .update({ id, userId, revokedAt: IsNull() }, { revokedAt: new Date() });
    if (!result.affected) return false;
    await this.revocations.revoke(
      [apiKeyRevocationId(id)],
      Date.now() + (this.settings.apiKeyCacheSeconds + 3600) * 1000,
    );
    this.cache.forEach((entry, prefix) => entry.row.id === id && this.cache.delete(prefix));
    await this.audit.record({ type: AuditEventType.ApiKeyRevoked, subject: id });
    return true;
  }

  /** The principal of a presented key, or rejects with {@link TokenRejected}. */
  async authenticate(raw: string): Promise<AuthPrincipal> {
    const parsed = this.codec.parse(raw);
    if (!parsed) throw new TokenRejected('it is malformed');
    const entry = await this.lookup(parsed.prefix);
    // Compare even when the prefix is unknown, so both cases take the same work.
    const matches = this.codec.matches(parsed.secret, entry?.row.hash ?? '0'.repeat(64));
    if (!entry || !matches) throw new TokenRejected('it is unknown');
    const { row } = entry;
    if (row.revokedAt || this.revocations.isRevoked(apiKeyRevocationId(row.id)))
      throw new TokenRejected('it was revoked');
    if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) throw new TokenRejected('it has expired');
    this.lastUsed.touch(row.id);
    const roles = this.roles.permissionsOf(entry.roles);
    return {
      id: row.userId,
      kind: 'api-key',
      roles: entry.roles,
      permissions: row.scopes.filter((scope) => roles.allows(scope)),
      ...(entry.tenantId ? { tenantId: entry.tenantId } : {}),
      apiKeyId: row.id,
      scopes: row.scopes,
      access: { roles, scopes: this.roles.scopes(row.scopes) },
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.lastUsed.close();
  }

  private async lookup(prefix: string): Promise<CachedKey | undefined> {
    const now = Date.now();
    const cached = this.cache.get(prefix);
    if (cached && cached.until > now) return cached;
    const row = await this.tx
      .getRepository(AuthApiKey)
      .createQueryBuilder('k')
      .addSelect('k.hash')
      .where('k.prefix = :prefix', { prefix })
      .getOne();
    if (!row) return undefined;
    const user = await this.users.byId(row.userId);
    if (!user || user.disabledAt) return undefined;
    const entry: CachedKey = {
      row: row as CachedKey['row'],
      roles: user.roles,
      ...(user.tenantId ? { tenantId: user.tenantId } : {}),
      until: now + this.settings.apiKeyCacheSeconds * 1000,
    };
    if (this.cache.size >= 10_000) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(prefix, entry);
    return entry;
  }

  private async writeLastUsed(entries: Map<string, Date>): Promise<void> {
    if (entries.size === 0) return;
    const ids = [...entries.keys()];
    const times = ids.map((id) => entries.get(id)!.toISOString());
    await this.tx.manager.query(
      `UPDATE kwik_auth_api_keys k SET "lastUsedAt" = v.at
         FROM unnest($1::uuid[], $2::timestamptz[]) AS v(id, at)
        WHERE k.id = v.id AND (k."lastUsedAt" IS NULL OR k."lastUsedAt" < v.at)`,
      [ids, times],
    );
  }
}

function view(row: AuthApiKey): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    lastUsedAt: row.lastUsedAt,
  };
}
