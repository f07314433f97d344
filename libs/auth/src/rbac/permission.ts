import { KwikError } from '@kwik/core';

/** A parsed permission string. */
export interface Permission {
  /** The string as written: `posts:update:own`. */
  readonly raw: string;
  /** `posts`, or `*` for the all-powerful `*`. */
  readonly resource: string;
  /** `update`, or `*` for every action. */
  readonly action: string;
  /** Only for resources the principal owns (`:own` suffix). */
  readonly own: boolean;
}

/** Lowercase resource and action names: `posts`, `api-keys`, `audit_log`, `publish`. */
const NAME = /^[a-z][a-z0-9_-]{0,63}$/;

/**
 * Why `raw` is not a valid permission string, or `null` when it is. Valid forms are `*`,
 * `resource:*`, `resource:action`, `resource:action:own` and `resource:*:own`.
 *
 * @example
 * permissionProblem('posts:update:own'); // null
 * permissionProblem('Posts:Update');     // 'resource "Posts" must be lowercase …'
 */
export function permissionProblem(raw: unknown): string | null {
  if (typeof raw !== 'string') return `expected a string, got ${typeof raw}`;
  if (raw === '*') return null;
  const parts = raw.split(':');
  if (parts.length < 2 || parts.length > 3) {
    return 'expected "resource:action", "resource:action:own", "resource:*" or "*"';
  }
  const [resource, action, scope] = parts;
  if (!NAME.test(resource)) return `resource "${resource}" must be lowercase letters, digits, "-" or "_"`;
  if (action !== '*' && !NAME.test(action)) {
    return `action "${action}" must be "*" or lowercase letters, digits, "-" or "_"`;
  }
  if (action === 'own') return 'the action is missing before ":own"';
  if (scope !== undefined && scope !== 'own') return `the only suffix allowed is ":own", got ":${scope}"`;
  return null;
}

/**
 * Parses one permission string.
 *
 * @throws KwikError `KWIK_AUTH_INVALID_PERMISSION` explaining what is wrong.
 * @example
 * parsePermission('posts:update:own'); // { raw, resource: 'posts', action: 'update', own: true }
 */
export function parsePermission(raw: string): Permission {
  return parsePermissions([raw])[0];
}

/**
 * Parses a list of permission strings, reporting every invalid one at once.
 *
 * @throws KwikError `KWIK_AUTH_INVALID_PERMISSION` listing each bad string and why.
 * @example
 * parsePermissions(['posts:read', 'comments:*']);
 */
export function parsePermissions(list: Iterable<string>): Permission[] {
  const parsed: Permission[] = [];
  const problems: string[] = [];
  for (const raw of list) {
    const problem = permissionProblem(raw);
    if (problem !== null) problems.push(`"${String(raw)}": ${problem}`);
    else parsed.push(toPermission(raw));
  }
  if (problems.length > 0) {
    throw new KwikError(
      'KWIK_AUTH_INVALID_PERMISSION',
      `Invalid permission string${problems.length === 1 ? '' : 's'}: ${problems.join('; ')}. ` +
        'Write permissions as "resource:action" (posts:update), "resource:action:own" (posts:update:own), ' +
        '"resource:*" (posts:*) or "*".',
    );
  }
  return parsed;
}

function toPermission(raw: string): Permission {
  if (raw === '*') return { raw, resource: '*', action: '*', own: false };
  const [resource, action, scope] = raw.split(':');
  return { raw, resource, action, own: scope === 'own' };
}
