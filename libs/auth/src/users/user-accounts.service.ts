import { Inject, Injectable } from '@nestjs/common';
import { RequestContext } from '@kwik/core';
import { TransactionManager } from '@kwik/database';
import type { Repository } from 'typeorm';
import { AUTH_SETTINGS } from '../auth.constants.js';
import type { AuthSettings } from '../auth-settings.js';
import type { KwikUser } from '../entities/kwik-user.entity.js';

/** The user facts auth works with (`tenantId` when the entity has one). */
export type AuthUser = KwikUser & { tenantId?: string | null };

/**
 * The app's user table as the auth library reads and writes it (through the entity given as
 * `userEntity`). Emails are compared lower-case; when the entity has a `tenantId` and the request
 * context knows the tenant, lookups are limited to it.
 */
@Injectable()
export class UserAccounts {
  constructor(
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
    private readonly tx: TransactionManager,
    private readonly context: RequestContext,
  ) {}

  /** The repository of the app's user entity (in the ambient transaction). */
  get repository(): Repository<AuthUser> {
    return this.tx.getRepository(this.settings.userEntity) as Repository<AuthUser>;
  }

  /** Whether the user entity has a `tenantId` column. */
  get tenanted(): boolean {
    return this.repository.metadata.findColumnWithPropertyName('tenantId') !== undefined;
  }

  byId(id: string): Promise<AuthUser | null> {
    return this.repository.findOneBy({ id });
  }

  /**
   * The users with this email, password hash included (several when tenants share an email
   * and the tenant is not known).
   */
  async forLogin(email: string): Promise<(AuthUser & { passwordHash: string })[]> {
    const qb = this.repository
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('lower(u.email) = :email', { email: email.trim().toLowerCase() })
      .take(2);
    const tenant = this.context.tenant?.id;
    if (tenant && this.tenanted) qb.andWhere('u.tenantId = :tenant', { tenant });
    return (await qb.getMany()) as (AuthUser & { passwordHash: string })[];
  }

  /** The stored password hash of a user. */
  async passwordHashOf(id: string): Promise<string | undefined> {
    const row = await this.repository
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.id = :id', { id })
      .getOne();
    return (row as { passwordHash?: string } | null)?.passwordHash;
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.repository.update({ id }, { passwordHash } as never);
  }

  /** Inserts a user; `extra` carries the app's own columns (the tenant, ...). */
  async create(
    input: { email: string; displayName: string; passwordHash: string; roles: readonly string[] },
    extra: Record<string, unknown> = {},
  ): Promise<AuthUser> {
    const repo = this.repository;
    return repo.save(
      repo.create({
        ...extra,
        email: input.email.trim().toLowerCase(),
        displayName: input.displayName,
        passwordHash: input.passwordHash,
        roles: [...input.roles],
        disabledAt: null,
      } as never),
    ) as unknown as Promise<AuthUser>;
  }
}
