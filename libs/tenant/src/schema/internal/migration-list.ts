import type { MigrationInterface } from 'typeorm';
import type { TenantMigration } from '../schema-migrator-options.interface.js';
import { TenantSchemaError, TenantSchemaErrorCode } from '../tenant-schema.errors.js';

/** A tenant migration with its name and timestamp resolved. */
export interface ResolvedMigration {
  readonly name: string;
  readonly timestamp: number;
  readonly instance: MigrationInterface;
}

const TIMESTAMP = /(\d{13})$/;

function invalid(message: string): TenantSchemaError {
  return new TenantSchemaError(TenantSchemaErrorCode.InvalidMigrations, message);
}

function instantiate(entry: unknown, index: number): MigrationInterface {
  const instance: unknown = typeof entry === 'function' ? new (entry as new () => unknown)() : entry;
  if (
    instance === null ||
    typeof instance !== 'object' ||
    typeof (instance as MigrationInterface).up !== 'function'
  ) {
    throw invalid(
      `migrations[${index}] is ${entry === undefined ? 'undefined (a missing import?)' : 'not a migration'}: list TypeORM MigrationInterface classes or instances.`,
    );
  }
  return instance as MigrationInterface;
}

/**
 * Instantiates the tenant migrations, names them as TypeORM does (`name`, else the class name), and
 * sorts them by the 13-digit timestamp ending the name, then by name. Throws
 * `KWIK_TENANT_INVALID_MIGRATIONS` for a non-migration, a name without timestamp, a name listed twice
 * or `transaction = false`.
 */
export function resolveMigrations(list: readonly TenantMigration[]): readonly ResolvedMigration[] {
  if (!Array.isArray(list))
    throw invalid('migrations must be an array of TypeORM migration classes or instances.');
  const seen = new Set<string>();
  const resolved = list.map((entry, index): ResolvedMigration => {
    const instance = instantiate(entry, index);
    const name = instance.name || instance.constructor.name;
    const timestamp = TIMESTAMP.exec(name)?.[1];
    if (timestamp === undefined) {
      throw invalid(
        `Migration "${name}" has no timestamp: end its class name (or its name property) with a 13-digit JavaScript timestamp, e.g. "CreatePosts1700000000000".`,
      );
    }
    if (seen.has(name))
      throw invalid(`Migration "${name}" is listed twice: each tenant migration needs a unique name.`);
    if (instance.transaction === false) {
      throw invalid(
        `Migration "${name}" sets transaction = false: tenant migrations always run in their own transaction, so that a failure rolls back only that migration in that schema.`,
      );
    }
    seen.add(name);
    return { name, timestamp: Number(timestamp), instance };
  });
  return Object.freeze(
    resolved.sort((a, b) => a.timestamp - b.timestamp || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  );
}
