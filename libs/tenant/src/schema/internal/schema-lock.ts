import { createHash } from 'node:crypto';
import type { QueryRunner } from 'typeorm';

// Two-key advisory locks live apart from single-key ones, so the app's own pg_advisory_lock(n) never collides.
const LOCK_NAMESPACE = 0x4b776b01;

/** The second advisory-lock key of `schema`: stable across processes and versions (not `hashtext`). */
export function schemaLockKey(schema: string): number {
  return createHash('sha256').update(schema).digest().readInt32BE(0);
}

/**
 * Takes the schema's transaction-level advisory lock: `exclusive` to change the schema (migrate, create,
 * drop, clone into), `shared` to read it as a clone template. Released at commit or rollback, so nothing
 * outlives the transaction on the pooled connection (and it works behind a transaction-mode pooler).
 */
export async function lockSchema(
  queryRunner: QueryRunner,
  schema: string,
  mode: 'exclusive' | 'shared' = 'exclusive',
): Promise<void> {
  const fn = mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
  await queryRunner.query(`SELECT ${fn}($1, $2)`, [LOCK_NAMESPACE, schemaLockKey(schema)]);
}
