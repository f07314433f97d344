import { Injectable } from '@nestjs/common';
import { RequestContext } from '@kwik/core';
import { AUTH_OWN_ONLY_KEY } from '../auth.constants.js';
import { forbidden } from '../auth.problems.js';
import { AuditEventType, AuditLog } from '../audit/audit-log.service.js';
import { isAuthPrincipal, type AuthPrincipal } from './auth-principal.js';
import { unauthorized } from '../auth.problems.js';

/** `yes`: allowed; `own`: allowed on the principal's own resources only; `no`: refused. */
export type AccessVerdict = 'yes' | 'own' | 'no';

/** Maps a CRUD action to the permission it needs (`{ resource }:{ action }`). */
export interface CrudAccessOptions {
  /** Resource name of the permissions (`posts` → `posts:read`, `posts:create`, ...). */
  resource: string;
  /** Property holding the owner's user id; enables the `:own` permissions. */
  owner?: string;
  /** Entities this applies to (by class name); @default every entity whose table is named like `resource` */
  entities?: readonly string[];
  /** Action → permission action. @default list/get → read, create → create, update → update, delete → delete */
  actions?: Partial<Record<'list' | 'get' | 'create' | 'update' | 'delete', string>>;
}

/** The structural shape of a `@kwik/data` CRUD hook (kept structural so auth does not import data). */
export interface CrudAccessHook {
  name: string;
  authorize(
    context: { action: string; resource: { name: string; metadata: { tableName: string } } },
    entity?: Record<string, unknown>,
  ): void | Promise<void>;
}

/**
 * Permission checks with `:own` resolved against a resource's owner. Use it where the guard
 * cannot decide alone — after loading the resource — or register {@link crudHook} with the data
 * library's `CrudHooks` so that every CRUD resource checks permissions itself.
 *
 * @example
 * const post = await this.posts.findOneByOrFail({ id });
 * await this.access.assert('posts:update', { ownerId: post.authorId });
 */
@Injectable()
export class AccessControl {
  constructor(
    private readonly context: RequestContext,
    private readonly audit: AuditLog,
  ) {}

  /** What the principal may do with `permission`, owner not yet known. */
  check(principal: AuthPrincipal, permission: string): AccessVerdict {
    const { roles, scopes } = principal.access;
    const verdict = (set: typeof roles): AccessVerdict =>
      set.allows(permission) ? 'yes' : set.allowsOwnOnly(permission) ? 'own' : 'no';
    const byRoles = verdict(roles);
    if (byRoles === 'no' || scopes === undefined) return byRoles;
    const byScopes = verdict(scopes);
    if (byScopes === 'no') return 'no';
    return byRoles === 'yes' && byScopes === 'yes' ? 'yes' : 'own';
  }

  /** Whether the current principal may do `permission` on a resource owned by `ownerId`. */
  can(permission: string, resource: { ownerId?: string | null } = {}): boolean {
    const principal = this.context.principal;
    if (!isAuthPrincipal(principal)) return false;
    const verdict = this.check(principal, permission);
    return (
      verdict === 'yes' ||
      (verdict === 'own' && resource.ownerId != null && resource.ownerId === principal.id)
    );
  }

  /**
   * Like {@link can}, but a refusal is an audited 403 (401 without a principal). Allowed: returns
   * at once, without a promise (the CRUD list path awaits only hooks that return one); refused: a
   * promise that rejects once the refusal is audited.
   */
  assert(permission: string, resource: { ownerId?: string | null } = {}): void | Promise<never> {
    const principal = this.context.principal;
    if (!isAuthPrincipal(principal)) throw unauthorized('Authentication required.', 'invalid_request');
    if (this.can(permission, resource)) return;
    return this.deny(
      principal,
      `requires the permission ${permission}${resource.ownerId !== undefined ? ' on this resource' : ''}`,
    );
  }

  /** Records that the guard let `permission` through for own resources only. */
  markOwnOnly(permission: string): void {
    const current = this.context.get<string[]>(AUTH_OWN_ONLY_KEY) ?? [];
    this.context.set(AUTH_OWN_ONLY_KEY, [...current, permission]);
  }

  /** Permissions of the current request granted for own resources only (the guard's verdicts). */
  ownOnly(): readonly string[] {
    return this.context.get<string[]>(AUTH_OWN_ONLY_KEY) ?? [];
  }

  /** Audits and throws the 403. */
  async deny(principal: AuthPrincipal, why: string): Promise<never> {
    await this.audit.record({
      type: AuditEventType.PermissionDenied,
      actorId: principal.id,
      details: { why },
    });
    throw forbidden(`Not allowed: this ${why}.`);
  }

  /**
   * A global hook for `@kwik/data`'s `CrudHooks.register()`: every CRUD action on the resource
   * needs `<resource>:<action>`; with `owner`, the `:own` variant allows the principal's own rows.
   *
   * @example
   * hooks.register(access.crudHook({ resource: 'posts', owner: 'authorId', entities: ['Post'] }));
   */
  crudHook(options: CrudAccessOptions): CrudAccessHook {
    const actions = {
      list: 'read',
      get: 'read',
      create: 'create',
      update: 'update',
      delete: 'delete',
      ...options.actions,
    };
    const applies = (name: string, table: string): boolean =>
      options.entities ? options.entities.includes(name) : table === options.resource;
    return {
      name: `auth:${options.resource}`,
      authorize: (context, entity) => {
        if (!applies(context.resource.name, context.resource.metadata.tableName)) return;
        const action = actions[context.action as keyof typeof actions];
        if (action === undefined) return;
        const permission = `${options.resource}:${action}`;
        const ownerId =
          options.owner && entity ? (entity[options.owner] as string | null | undefined) : undefined;
        // A list or a new row has no owner yet to compare: `:own` suffices for them.
        const owned =
          context.action === 'list' || context.action === 'create'
            ? { ownerId: this.context.principal?.id }
            : { ownerId };
        return this.assert(permission, owned);
      },
    };
  }
}
