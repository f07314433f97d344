import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** Server every integration test uses (trust auth). Override with `KWIK_TEST_POSTGRES_URL`. */
const ADMIN_URL = process.env.KWIK_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A throw-away database on the test PostgreSQL server. */
export interface TestDatabase {
  /** Connection URL of the new database. */
  url: string;
  /** Its name: `<prefix>_<random>`. */
  name: string;
  /** Drops it, disconnecting whatever is still connected. Safe to call twice. */
  drop(): Promise<void>;
}

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates a uniquely named, empty database on the test server (`postgres://postgres@127.0.0.1:5432`).
 * Test files create their own and drop it in `afterAll`, so they can run in parallel.
 *
 * @example
 * let db: TestDatabase;
 * beforeAll(async () => { db = await createTestDatabase('notes'); });
 * afterAll(() => db.drop());
 */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const safe = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 40);
  const name = `kwik_${safe}_${randomBytes(5).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    name,
    async drop() {
      if (dropped) return;
      dropped = true;
      await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}
