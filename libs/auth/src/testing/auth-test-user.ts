import { createHash, randomBytes } from 'node:crypto';
import { AuthRole } from '../entities/role.entity.js';
import { RoleRegistry } from '../access/role-registry.service.js';
import { PasswordHasher } from '../passwords/password-hasher.js';
import { UserAccounts } from '../users/user-accounts.service.js';

/** What {@link createAuthTestUser} needs of an app: Nest's `get` (an app, a testing module, `TestApp`). */
export interface AuthTestTarget {
  get(token: unknown, options?: { strict?: boolean }): unknown;
}

/** Options of {@link createAuthTestUser}. */
export interface AuthTestUserOptions {
  /**
   * Permissions the user holds (`product:*`, `posts:read`): a role holding exactly these
   * (`kwik-test-<hash>`) is written to the roles table and the role registry reloaded. @default []
   */
  permissions?: readonly string[];
  /** Roles of the app's hierarchy the user holds as well (`['admin']`). Unknown names are refused. @default [] */
  roles?: readonly string[];
  /** The user's tenant id, required when the user entity's `tenantId` column is NOT NULL. */
  tenantId?: string;
  /** The tenant's slug, copied to the result so a `TestClient` signs in within it. */
  tenant?: string;
  /** @default `kwik-test-<random>@example.test` */
  email?: string;
  /** @default a random 24-character passphrase */
  password?: string;
  /** @default `Test user` */
  displayName?: string;
  /** Other columns of the app's user entity. @default {} */
  extra?: Readonly<Record<string, unknown>>;
}

/** A user {@link createAuthTestUser} wrote: sign in with `email` / `password` (a `TestUser` of `@kwik/testing`). */
export interface AuthTestUser {
  readonly id: string;
  readonly email: string;
  readonly password: string;
  readonly tenant?: string;
  readonly roles: readonly string[];
}

/**
 * Writes a user who holds the given permissions (and roles) straight into the app's user table,
 * with a real password hash, for tests that sign in through the app's own login — no guard is
 * overridden. Each distinct permission list gets one role, `kwik-test-<hash>`, reused by later
 * calls.
 *
 * @example
 * const manager = await createAuthTestUser(t, { permissions: ['product:*'], tenantId, tenant: 'acme' });
 * (await t.client.asTenant('acme').getAs(manager, '/api/products')).expectStatus(200);
 */
export async function createAuthTestUser(
  target: AuthTestTarget,
  options: AuthTestUserOptions = {},
): Promise<AuthTestUser> {
  const accounts = target.get(UserAccounts, { strict: false }) as UserAccounts;
  const registry = target.get(RoleRegistry, { strict: false }) as RoleRegistry;
  const hasher = target.get(PasswordHasher, { strict: false }) as PasswordHasher;
  const roles = [...(options.roles ?? [])];
  const unknown = roles.filter((role) => !registry.has(role));
  if (unknown.length > 0)
    throw new Error(
      `createAuthTestUser: unknown role(s) ${unknown.join(', ')}; declare them in AuthModule.forRoot({ roles })`,
    );
  const permissions = [...new Set(options.permissions ?? [])].sort();
  if (permissions.length > 0) {
    const name = `kwik-test-${createHash('sha256').update(permissions.join('\n')).digest('hex').slice(0, 16)}`;
    if (!registry.has(name)) {
      await accounts.repository.manager
        .getRepository(AuthRole)
        .upsert(
          { name, inherits: [], permissions, description: 'Written by createAuthTestUser', fromCode: false },
          ['name'],
        );
      await registry.reload();
    }
    roles.push(name);
  }
  const tenantColumn = accounts.repository.metadata.findColumnWithPropertyName('tenantId');
  if (
    tenantColumn !== undefined &&
    !tenantColumn.isNullable &&
    options.tenantId === undefined &&
    options.extra?.tenantId === undefined
  )
    throw new Error(
      'createAuthTestUser: every user belongs to a tenant (tenantId is NOT NULL); pass { tenantId }',
    );
  const password = options.password ?? randomBytes(18).toString('base64url');
  const email = options.email ?? `kwik-test-${randomBytes(6).toString('hex')}@example.test`;
  const user = await accounts.create(
    {
      email,
      displayName: options.displayName ?? 'Test user',
      passwordHash: await hasher.hash(password),
      roles,
    },
    { ...options.extra, ...(options.tenantId === undefined ? {} : { tenantId: options.tenantId }) },
  );
  return { id: user.id, email: user.email, password, tenant: options.tenant, roles };
}
