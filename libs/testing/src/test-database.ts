import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** A throw-away database on a PostgreSQL server. */
export interface TestDatabase {
  /** Connection URL of the new database. */
  readonly url: string;
  /** Its name: `kwik_test_<prefix>_<random>`. */
  readonly name: string;
  /** Drops it, disconnecting whatever is still connected. Safe to call twice. */
  drop(): Promise<void>;
}

/** The server test databases are made on: `KWIK_TEST_POSTGRES_URL`, else the local one. */
export function testServerUrl(): string {
  return process.env.KWIK_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

async function onServer<T>(serverUrl: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `@kwik/testing could not reach the PostgreSQL server for test databases at ${redact(serverUrl)} (${(error as Error).message}). Start it, or set KWIK_TEST_POSTGRES_URL to a server where this user may CREATE DATABASE.`,
      { cause: error },
    );
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates a uniquely named, empty database: each test file gets its own, so files run in
 * parallel without seeing each other's rows. Drop it in `afterAll` (`TestApp.close()` does).
 */
export async function createTestDatabase(
  prefix = 'app',
  serverUrl: string = testServerUrl(),
): Promise<TestDatabase> {
  const safe = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 30);
  const name = `kwik_test_${safe}_${randomBytes(5).toString('hex')}`;
  await onServer(serverUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    name,
    async drop() {
      if (dropped) return;
      dropped = true;
      await onServer(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    return u.toString();
  } catch {
    return 'the configured URL';
  }
}
