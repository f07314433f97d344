import { KwikError } from '@kwik/core';
import { permissionProblem } from './permission.js';
import { PermissionSet } from './permission-set.js';

/** One role: its own permissions and the roles whose permissions it also gets. */
export interface RoleDefinition {
  /**
   * Roles this role includes, transitively.
   * @default []
   */
  inherits?: readonly string[];
  /** Permission strings granted directly (see `PermissionSet`). */
  permissions: readonly string[];
  /** Shown in admin screens and the OpenAPI description. */
  description?: string;
}

/** Role definitions by role name. */
export type RoleDefinitions = Readonly<Record<string, RoleDefinition>>;

const ROLE_NAME = /^[A-Za-z][\w-]{0,63}$/;
const MAX_CACHED_COMBINATIONS = 1024;

/**
 * A validated role hierarchy with each role's effective permissions computed once.
 *
 * @throws KwikError `KWIK_AUTH_INVALID_ROLES` at construction, listing every unknown parent,
 * cycle, invalid name and invalid permission string.
 * @example
 * const roles = new RoleGraph({
 *   reader: { permissions: ['posts:read', 'comments:read'] },
 *   author: { inherits: ['reader'], permissions: ['posts:create', 'posts:update:own'] },
 *   admin: { permissions: ['*'] },
 * });
 * roles.permissionsOf(user.roles).allows('posts:create'); // PermissionSet, cached per role set
 */
export class RoleGraph {
  private readonly definitions: ReadonlyMap<string, RoleDefinition>;
  private readonly effective = new Map<string, readonly string[]>();
  private readonly ancestors = new Map<string, ReadonlySet<string>>();
  private readonly combinations = new Map<string, PermissionSet>();

  constructor(definitions: RoleDefinitions) {
    this.definitions = new Map(Object.entries(definitions ?? {}));
    const problems = [...this.definitions].flatMap(([role, definition]) => this.problemsOf(role, definition));
    problems.push(...this.cycles());
    if (problems.length > 0) {
      throw new KwikError(
        'KWIK_AUTH_INVALID_ROLES',
        `${problems.length} problem${problems.length === 1 ? '' : 's'} in the role definitions:\n` +
          problems.map((p) => `  - ${p}`).join('\n') +
          '\nEach role is { inherits?: string[]; permissions: string[] }, inheriting only roles defined in ' +
          'the same object, without cycles; permissions are "resource:action", "resource:action:own", ' +
          '"resource:*" or "*".',
      );
    }
    for (const role of this.definitions.keys()) {
      const ancestors = this.collectAncestors(role);
      this.ancestors.set(role, ancestors);
      const all = [role, ...ancestors].flatMap((r) => this.definitions.get(r)!.permissions);
      this.effective.set(role, Object.freeze([...new Set(all)].sort()));
    }
  }

  /** Every defined role name, in definition order. */
  get roles(): readonly string[] {
    return [...this.definitions.keys()];
  }

  /**
   * Whether `role` is defined.
   *
   * @example
   * roles.has('editor'); // true
   */
  has(role: string): boolean {
    return this.definitions.has(role);
  }

  /**
   * The description given for `role`, if any.
   *
   * @example
   * roles.descriptionOf('editor'); // 'Edits and publishes every post'
   */
  descriptionOf(role: string): string | undefined {
    return this.definitions.get(role)?.description;
  }

  /**
   * A role's own and inherited permission strings, sorted; empty for an unknown role.
   *
   * @example
   * roles.effectivePermissions('author'); // ['comments:create', 'comments:read', 'posts:create', …]
   */
  effectivePermissions(role: string): readonly string[] {
    return this.effective.get(role) ?? [];
  }

  /**
   * Roles `role` inherits from, directly or transitively (not including itself).
   *
   * @example
   * roles.inheritedRoles('editor'); // ['author', 'reader']
   */
  inheritedRoles(role: string): string[] {
    return [...(this.ancestors.get(role) ?? [])];
  }

  /**
   * Whether `role` inherits `ancestor`, directly or transitively (a set lookup, no copy).
   *
   * @example
   * roles.inheritsFrom('editor', 'reader'); // true
   */
  inheritsFrom(role: string, ancestor: string): boolean {
    return this.ancestors.get(role)?.has(ancestor) ?? false;
  }

  /**
   * Roles that include every permission of `role`: itself and every role inheriting it,
   * transitively — e.g. to find who may do what `author` may.
   *
   * @example
   * roles.rolesIncluding('author'); // ['author', 'editor']
   */
  rolesIncluding(role: string): string[] {
    if (!this.has(role)) return [];
    return this.roles.filter((r) => r === role || this.ancestors.get(r)!.has(role));
  }

  /**
   * The union of the permissions of the given roles, cached per role combination. Unknown role
   * names (a role removed from the configuration but still stored on a user) grant nothing.
   *
   * @example
   * roles.permissionsOf(['author']).allows('posts:update', { ownerId, principalId }); // true
   */
  permissionsOf(roles: readonly string[]): PermissionSet {
    const known = [...new Set(roles)].filter((r) => this.has(r)).sort();
    const key = known.join('\n');
    const cached = this.combinations.get(key);
    if (cached !== undefined) return cached;
    const set = PermissionSet.from(known.flatMap((r) => this.effective.get(r)!));
    if (this.combinations.size < MAX_CACHED_COMBINATIONS) this.combinations.set(key, set);
    return set;
  }

  private problemsOf(role: string, definition: RoleDefinition): string[] {
    const problems: string[] = [];
    if (!ROLE_NAME.test(role))
      problems.push(`role name "${role}" must be a letter then letters, digits, "_" or "-"`);
    if (typeof definition !== 'object' || definition === null || !Array.isArray(definition.permissions)) {
      return [...problems, `role "${role}" needs a "permissions" array (use [] for none)`];
    }
    const inherits = definition.inherits ?? [];
    if (!Array.isArray(inherits))
      return [...problems, `role "${role}": "inherits" must be an array of role names`];
    for (const parent of inherits) {
      if (parent === role) problems.push(`role "${role}" inherits itself; remove it from its "inherits"`);
      else if (!this.definitions.has(parent)) {
        problems.push(
          `role "${role}" inherits unknown role "${String(parent)}"; define it or fix the name ` +
            `(defined: ${[...this.definitions.keys()].join(', ')})`,
        );
      }
    }
    for (const permission of definition.permissions) {
      const problem = permissionProblem(permission);
      if (problem !== null) problems.push(`role "${role}": permission "${String(permission)}": ${problem}`);
    }
    return problems;
  }

  /** Each cycle of the inheritance graph, once, as `a → b → a`. */
  private cycles(): string[] {
    const found = new Map<string, string>();
    const done = new Set<string>();
    const visit = (role: string, path: string[]): void => {
      const at = path.indexOf(role);
      if (at !== -1) {
        const cycle = path.slice(at);
        const key = [...cycle].sort().join(',');
        if (!found.has(key)) found.set(key, [...cycle, role].join(' → '));
        return;
      }
      if (done.has(role)) return;
      for (const parent of this.parentsOf(role)) visit(parent, [...path, role]);
      done.add(role);
    };
    for (const role of this.definitions.keys()) visit(role, []);
    return [...found.values()].map(
      (c) => `inheritance cycle ${c}; a role cannot inherit itself, even indirectly`,
    );
  }

  /** Defined parents other than the role itself (those problems are reported separately). */
  private parentsOf(role: string): string[] {
    const inherits = this.definitions.get(role)?.inherits;
    return Array.isArray(inherits) ? inherits.filter((p) => p !== role && this.definitions.has(p)) : [];
  }

  private collectAncestors(role: string): Set<string> {
    const seen = new Set<string>();
    const stack = [...(this.definitions.get(role)!.inherits ?? [])];
    while (stack.length > 0) {
      const parent = stack.pop()!;
      if (seen.has(parent)) continue;
      seen.add(parent);
      stack.push(...(this.definitions.get(parent)!.inherits ?? []));
    }
    return seen;
  }
}
