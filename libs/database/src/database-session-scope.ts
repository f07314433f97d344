import { Injectable } from '@nestjs/common';
import { AsyncSlot } from '@kwik/core';
import { DatabaseError, DatabaseErrorCode } from './database.errors.js';

/**
 * The PostgreSQL role and settings every statement of a scope runs with, applied with
 * `set_config(name, value, true)` inside the statement's own transaction. Return the **same frozen
 * object** for the same scope (per tenant, say): Kwik validates it and prepares its SQL once, and
 * recognises by identity that a transaction already runs under it.
 *
 * @example
 * const acme: DatabaseSessionSettings = Object.freeze({
 *   role: 'kwik_app',
 *   settings: Object.freeze({ 'kwik.tenant_id': '0b6d4f3e-9a51-4c1e-8f0e-2f6a1f7f3c11' }),
 * });
 * const schemaPerTenant = Object.freeze({ settings: Object.freeze({ search_path: '"tenant_acme", public' }) });
 */
export interface DatabaseSessionSettings {
  /**
   * Role the statements run as (`SET LOCAL ROLE`); a plain identifier such as `kwik_app`. The connecting
   * user must be a member of it (or a superuser).
   * @default none: the connecting user
   */
  readonly role?: string;
  /**
   * Settings by name (`kwik.tenant_id`, `search_path`, `statement_timeout`): `name` or `prefix.name`,
   * letters, digits and `_`. Read them in SQL with `current_setting('kwik.tenant_id', true)`.
   */
  readonly settings: Readonly<Record<string, string>>;
}

/**
 * Answers the settings of the current call chain, or `undefined` to run it as the connecting user.
 * Called once per statement, in the async context of the code that sends it: keep it cheap.
 *
 * @example
 * const provider: DatabaseSessionProvider = () => (ctx.tenant ? settingsByTenant.get(ctx.tenant.id) : undefined);
 */
export type DatabaseSessionProvider = () => DatabaseSessionSettings | undefined;

/**
 * Decides, per SQL statement, which PostgreSQL role and settings it runs with — the building block of
 * row-level security (`role = kwik_app`, `kwik.tenant_id = <uuid>`) and schema-per-tenant
 * (`search_path`). One provider registers with {@link use}; the Kwik pg client asks it, in the async
 * context of the code that issued the statement, and applies the answer with `set_config(..., true)`
 * in that statement's own transaction, without an extra round trip. Nothing survives the
 * transaction, so the next borrower of the pooled connection never sees it.
 *
 * Without a provider, statements run as the connecting user and the cost is one function call.
 *
 * @example
 * @Injectable()
 * export class TenantSessionBinding implements OnModuleInit {
 *   constructor(private readonly scope: DatabaseSessionScope, private readonly ctx: RequestContext) {}
 *   onModuleInit() {
 *     this.scope.use(() => settingsFor(this.ctx.tenant)); // same frozen object per tenant
 *   }
 * }
 * // provisioning, as the connecting user:
 * await scope.runUnscoped(() => dataSource.query(`CREATE SCHEMA "tenant_acme"`));
 */
@Injectable()
export class DatabaseSessionScope {
  private provider: DatabaseSessionProvider | undefined;
  private readonly unscoped = new AsyncSlot<true>('unscoped database session');

  /**
   * Registers the provider. There is one per application: a second call throws
   * `KWIK_DATABASE_SESSION_SCOPE_IN_USE`.
   */
  use(provider: DatabaseSessionProvider): void {
    if (this.provider) {
      throw new DatabaseError(
        DatabaseErrorCode.SessionScopeInUse,
        'DatabaseSessionScope.use() was called twice: one provider decides the session settings of every statement. Combine the two sources in one provider function.',
      );
    }
    this.provider = provider;
  }

  /** The settings of the current call chain: `undefined` without a provider and inside {@link runUnscoped}. */
  current(): DatabaseSessionSettings | undefined {
    const provider = this.provider;
    if (provider === undefined || this.unscoped.get() === true) return undefined;
    return provider();
  }

  /**
   * Runs `fn` (and everything it calls, across awaits) as the connecting user, ignoring the provider:
   * provisioning a tenant schema, maintenance, cross-tenant reports.
   */
  runUnscoped<T>(fn: () => T): T {
    return this.unscoped.run(true, fn);
  }
}
