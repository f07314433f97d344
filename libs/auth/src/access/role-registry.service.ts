import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { TransactionManager } from '@kwik/database';
import { AUTH_SETTINGS } from '../auth.constants.js';
import type { AuthSettings } from '../auth-settings.js';
import type { AuthRoleDefinition } from '../auth-options.interface.js';
import { AuthRole } from '../entities/role.entity.js';
import { PermissionSet } from '../rbac/permission-set.js';
import { RoleGraph } from '../rbac/role-graph.js';

/**
 * The role hierarchy in force: the roles declared in code are written to `kwik_auth_roles` at
 * boot, roles added in the database are read with them, and the whole graph is compiled once
 * (permission checks are then set lookups). Call {@link reload} after changing roles in the database.
 */
@Injectable()
export class RoleRegistry implements OnModuleInit {
  private graph: RoleGraph;

  constructor(
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
    private readonly tx: TransactionManager,
  ) {
    this.graph = new RoleGraph(settings.roles);
  }

  async onModuleInit(): Promise<void> {
    const repo = this.tx.getRepository(AuthRole);
    await repo.upsert(
      Object.entries(this.settings.roles).map(([name, def]) => ({
        name,
        inherits: [...(def.inherits ?? [])],
        permissions: [...def.permissions],
        description: def.description ?? null,
        fromCode: true,
      })),
      ['name'],
    );
    await this.reload();
  }

  /** Re-reads every role from the database and recompiles the graph. */
  async reload(): Promise<void> {
    const rows = await this.tx.getRepository(AuthRole).find();
    const defs: Record<string, AuthRoleDefinition> = {};
    for (const row of rows)
      defs[row.name] = {
        inherits: row.inherits,
        permissions: row.permissions,
        description: row.description ?? undefined,
      };
    this.graph = new RoleGraph(defs);
    this.byRoles = new WeakMap();
  }

  /** The compiled permissions of a combination of roles (cached per combination). */
  permissionsOf(roles: readonly string[]): PermissionSet {
    // A verified token's claims are reused while it lives, so its roles array is the same object
    // on every request: remembered by identity, the set costs no sorting or joining per request.
    let set = this.byRoles.get(roles);
    if (set === undefined) {
      set = this.graph.permissionsOf(roles);
      this.byRoles.set(roles, set);
    }
    return set;
  }

  /** Compiled sets by roles array (identity); dropped with the graph on {@link reload}. */
  private byRoles = new WeakMap<readonly string[], PermissionSet>();

  /** Whether holding `held` gives `role` (the role itself or one inheriting it). */
  hasRole(held: readonly string[], role: string): boolean {
    return held.some((r) => r === role || this.graph.inheritsFrom(r, role));
  }

  /** A permission set of API-key scopes. */
  scopes(list: readonly string[]): PermissionSet {
    return PermissionSet.from(list);
  }

  /** Whether a role exists. */
  has(role: string): boolean {
    return this.graph.has(role);
  }
}
