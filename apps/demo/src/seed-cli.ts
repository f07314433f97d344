import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { environmentWith, KwikError, loadConfig } from '@kwik/core';
import { createDataSource } from '@kwik/database';
import { quoteSchemaName, tenantSchemaName } from '@kwik/tenant';
import { DemoConfig } from './config/demo-config.js';
import { demoDatabaseOptions } from './database.options.js';

const USAGE = 'Usage: npm run demo:seed -- --tenant <slug> --posts <count 1..10000000>';

/**
 * Adds bulk posts to one tenant for benchmarks, generated inside PostgreSQL in batches
 * (`generate_series`), each batch its own transaction:
 * `npm run demo:seed -- --tenant acme --posts 100000`.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { tenant: { type: 'string' }, posts: { type: 'string' } } });
  const count = Number(values.posts);
  if (!values.tenant || !Number.isInteger(count) || count < 1 || count > 10_000_000)
    throw new KwikError('KWIK_DEMO_SEED_USAGE', USAGE);
  const config = loadConfig(DemoConfig, environmentWith('.env'));
  const dataSource = await createDataSource(demoDatabaseOptions(config));
  // With the schema strategy a tenant's posts live in its own schema.
  const posts =
    config.KWIK_TENANT_STRATEGY === 'schema'
      ? `${quoteSchemaName(tenantSchemaName(values.tenant))}."posts"`
      : `"posts"`;
  try {
    const [tenant] = (await dataSource.query('SELECT id FROM tenants WHERE slug = $1', [values.tenant])) as {
      id: string;
    }[];
    if (!tenant)
      throw new KwikError(
        'KWIK_DEMO_SEED_USAGE',
        `No tenant "${values.tenant}"; start the demo once to seed acme and globex.`,
      );
    const authors = (await dataSource.query(
      `SELECT id FROM users WHERE "tenantId" = $1 AND NOT ('reader' = ANY(roles)) ORDER BY email`,
      [tenant.id],
    )) as { id: string }[];
    const started = Date.now();
    for (let done = 0; done < count; done += 10_000) {
      const n = Math.min(10_000, count - done);
      await dataSource.query(
        `INSERT INTO ${posts} ("tenantId", "authorId", title, body, status, tags, views, "publishedAt", "createdAt", "updatedAt", version)
         SELECT $1, ($2::uuid[])[1 + i % array_length($2::uuid[], 1)], 'Bulk post ' || ($3 + i), repeat('Lorem ipsum dolor sit amet. ', 1 + i % 12),
                (ARRAY['published','published','draft','archived'])[1 + i % 4]::public.post_status,
                ARRAY[(ARRAY['nestjs','postgres','howto','news','ops'])[1 + i % 5]], (i * 7919) % 5000,
                CASE WHEN i % 4 = 2 THEN NULL ELSE now() - (i || ' seconds')::interval END,
                now() - (i || ' seconds')::interval, now() - (i || ' seconds')::interval, 1
           FROM generate_series(1, $4::int) AS i`,
        [tenant.id, authors.map((a) => a.id), done, n],
      );
    }
    process.stdout.write(`Added ${count} posts to ${values.tenant} in ${Date.now() - started} ms\n`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof KwikError ? error.message : String((error as Error).stack ?? error)}\n`,
  );
  process.exitCode = 1;
});
