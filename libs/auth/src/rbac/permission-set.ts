import { parsePermissions } from './permission.js';

/** Ownership facts for a check against `:own` permissions. */
export interface OwnershipContext {
  /** Owner of the resource being acted on (`post.authorId`); `null`/absent when unknown. */
  ownerId?: string | null;
  /** The acting principal's id. */
  principalId?: string | null;
}

/**
 * How much of a required permission a set grants: on every resource (`all`), only on resources
 * the principal owns (`own`), or not at all (`none`).
 */
export type PermissionScope = 'all' | 'own' | 'none';

/**
 * An immutable, precomputed set of granted permissions answering "may I?" with a few `Set`
 * lookups — no parsing or regular expressions per check.
 *
 * A required `posts:update` is satisfied by `posts:update`, `posts:*` or `*`; and by
 * `posts:update:own` / `posts:*:own` only when `ownerId` is given and equals `principalId`.
 * Required permissions are plain `resource:action` strings (validate them once, where they are
 * declared, with `parsePermission`).
 *
 * @example
 * const granted = PermissionSet.from(['posts:read', 'posts:update:own']);
 * granted.allows('posts:read');                                            // true
 * granted.allows('posts:update', { ownerId: post.authorId, principalId: user.id });
 * granted.allowsOwnOnly('posts:update'); // true → a list endpoint adds `authorId = :me`
 */
export class PermissionSet {
  private readonly everything: boolean;
  private readonly exact: ReadonlySet<string>;
  private readonly resources: ReadonlySet<string>;
  private readonly ownExact: ReadonlySet<string>;
  private readonly ownResources: ReadonlySet<string>;

  private constructor(private readonly granted: readonly string[]) {
    const parsed = parsePermissions(granted);
    const pick = (own: boolean, wildcard: boolean) =>
      new Set(
        parsed
          .filter((p) => p.resource !== '*' && p.own === own && (p.action === '*') === wildcard)
          .map((p) => (wildcard ? p.resource : `${p.resource}:${p.action}`)),
      );
    this.everything = parsed.some((p) => p.resource === '*');
    this.exact = pick(false, false);
    this.resources = pick(false, true);
    this.ownExact = pick(true, false);
    this.ownResources = pick(true, true);
  }

  /**
   * Builds a set from permission strings.
   *
   * @throws KwikError `KWIK_AUTH_INVALID_PERMISSION` listing every invalid string.
   * @example
   * PermissionSet.from(['posts:*', 'comments:read']);
   */
  static from(list: Iterable<string>): PermissionSet {
    return new PermissionSet([...new Set(list)].sort());
  }

  /** The granted permission strings, sorted and without duplicates. */
  get permissions(): readonly string[] {
    return this.granted;
  }

  /**
   * Whether the required `resource:action` is granted — outright, or through an `:own`
   * permission when `ownerId` equals `principalId`.
   *
   * @example
   * set.allows('posts:update', { ownerId: post.authorId, principalId: user.id });
   */
  allows(required: string, ownership?: OwnershipContext): boolean {
    const scope = this.scopeOf(required);
    if (scope !== 'own') return scope === 'all';
    const owner = ownership?.ownerId;
    return typeof owner === 'string' && owner !== '' && owner === ownership?.principalId;
  }

  /**
   * Whether the required permission is granted only for owned resources, so a caller must
   * restrict the query to them (a list endpoint adds an owner filter).
   *
   * @example
   * if (set.allowsOwnOnly('posts:update')) query.andWhere('post.authorId = :me', { me: user.id });
   */
  allowsOwnOnly(required: string): boolean {
    return this.scopeOf(required) === 'own';
  }

  /**
   * How much of the required permission is granted, before knowing which resource is involved.
   *
   * @example
   * set.scopeOf('posts:update'); // 'all' | 'own' | 'none'
   */
  scopeOf(required: string): PermissionScope {
    if (this.everything || this.exact.has(required)) return 'all';
    const colon = required.indexOf(':');
    const resource = colon === -1 ? required : required.slice(0, colon);
    if (this.resources.has(resource)) return 'all';
    if (this.ownExact.has(required) || this.ownResources.has(resource)) return 'own';
    return 'none';
  }
}
