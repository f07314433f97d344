import { fileURLToPath } from 'node:url';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTenantCliArgs, runTenantCli } from '@kwik/tenant';
import { createTestDatabase, type TestDatabase } from '../../../test/support/postgres.js';

const DATA_SOURCE = fileURLToPath(new URL('./fixtures/cli-data-source.ts', import.meta.url));

/** Runs the CLI, collecting what it prints. */
async function cli(...argv: string[]): Promise<{ code: number; log: string[]; errors: string[] }> {
  const log: string[] = [];
  const errors: string[] = [];
  const code = await runTenantCli(argv, { log: (l) => log.push(l), error: (l) => errors.push(l) });
  return { code, log, errors };
}

describe('tenant CLI (kwik-tenant migrate | status)', () => {
  let db: TestDatabase;
  let sql: Client;
  const saved = process.env.KWIK_TENANT_CLI_URL;

  beforeAll(async () => {
    db = await createTestDatabase('tenant_cli');
    process.env.KWIK_TENANT_CLI_URL = db.url;
    // The first run creates the public tables (the data source runs its migrations).
    const first = await cli('status', '--data-source', DATA_SOURCE);
    if (first.code !== 0) throw new Error(`status failed: ${first.errors.join('\n')}`);
    sql = new Client({ connectionString: db.url });
    await sql.connect();
    await sql.query(`INSERT INTO cli_tenants (slug) VALUES ('acme'), ('bad-one'), ('globex')`);
  });
  afterAll(async () => {
    await sql?.end();
    if (saved === undefined) delete process.env.KWIK_TENANT_CLI_URL;
    else process.env.KWIK_TENANT_CLI_URL = saved;
    await db?.drop();
  });

  it.each([
    [[], /Unknown command ''/],
    [['drop', '--data-source', 'x.js'], /Unknown command 'drop'/],
    [['migrate'], /--data-source is required/],
    [['migrate', '--data-source', 'x.js', '--concurrency', '0'], /--concurrency must be a whole number ≥ 1/],
    [['migrate', '--data-source', 'x.js', 'extra'], /Unexpected argument 'extra'/],
    [['migrate', '--data-source', 'x.js', '--force'], /Unknown option '--force'/],
  ])('refuses %j with the usage', (argv, message) => {
    expect(() => parseTenantCliArgs(argv)).toThrow(message);
    expect(() => parseTenantCliArgs(argv)).toThrow(/Usage: node libs\/tenant\/dist\/cli.js/);
  });

  it('migrates every tenant schema, reports a failing one with exit 1, and resumes once it is fixed', async () => {
    await sql.query(`INSERT INTO cli_switch (broken) VALUES ('tenant_bad_one')`);
    const failed = await cli('migrate', '--data-source', DATA_SOURCE, '--concurrency', '2');
    expect(failed.code).toBe(1);
    expect(failed.log.at(-1)).toMatch(
      /^3 schemas: 2 migrated, 0 up to date, 1 failed in \d+ ms \(2 at once\)$/,
    );
    expect(failed.errors).toEqual([
      expect.stringMatching(
        /^tenant_bad_one: CliMaybeBroken1795700000200 failed: division by zero \[22012\]$/,
      ),
    ]);
    expect(failed.log).toEqual(expect.arrayContaining([expect.stringMatching(/^\[3\/3\] /)]));
    // The failing schema keeps its first migration; the broken one was rolled back.
    const columns = async (schema: string) =>
      (
        await sql.query<{ column_name: string }>(
          `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'things' ORDER BY column_name`,
          [schema],
        )
      ).rows.map((r) => r.column_name);
    expect(await columns('tenant_acme')).toEqual(['id', 'name', 'note']);
    expect(await columns('tenant_bad_one')).toEqual(['id', 'name']);

    const status = await cli('status', '--data-source', DATA_SOURCE);
    expect(status.log).toEqual([
      'tenant_acme: 2 applied, 0 pending',
      'tenant_bad_one: 1 applied, 1 pending (CliMaybeBroken1795700000200)',
      'tenant_globex: 2 applied, 0 pending',
    ]);

    await sql.query(`DELETE FROM cli_switch`);
    const resumed = await cli('migrate', '--data-source', DATA_SOURCE);
    expect(resumed.code).toBe(0);
    expect(resumed.log.at(-1)).toMatch(/^3 schemas: 1 migrated, 2 up to date, 0 failed/);
    expect(await columns('tenant_bad_one')).toEqual(['id', 'name', 'note']);
  });
});
