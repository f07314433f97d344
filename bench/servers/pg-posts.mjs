// Hand-written baseline for the data-shaping benchmark (issue 3): bare Fastify 5 + a `pg` Pool
// serving tenant acme's published posts, newest first, only id/title/publishedAt, with keyset
// (`after`) and OFFSET (`offset`) paging (SQL in bench/lib/data-sql.mjs). One named (prepared)
// statement per SQL variant, as a careful hand-written endpoint would have. Env: PORT, HOST, DATABASE_URL.
// GET /posts?limit=20[&after=<cursor>][&offset=N]
//   -> { data: [{ id, title, publishedAt }], meta: { limit, nextCursor, prevCursor: null } }
import Fastify from 'fastify';
import { Pool } from 'pg';
import { POSTS_SQL } from '../lib/data-sql.mjs';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const connectionString = process.env.DATABASE_URL;
if (!connectionString) throw new Error('pg-posts: DATABASE_URL is required');

const TENANT = 'acme';
const STATUS = 'published';
const MAX_LIMIT = 100;
const MAX_OFFSET = 10_000_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const pool = new Pool({ connectionString, max: 10 });

const { rows: tenants } = await pool.query('SELECT id FROM tenants WHERE slug = $1', [TENANT]);
if (tenants.length === 0) throw new Error(`pg-posts: no tenant "${TENANT}" (start the demo once to seed)`);
const tenantId = tenants[0].id;

function encodeCursor(row) {
  const at = row.publishedAt === null ? null : row.publishedAt.toISOString();
  return Buffer.from(JSON.stringify([at, row.id])).toString('base64url');
}

/** [publishedAt, id] from a cursor, or null when it is not one of ours. */
function decodeCursor(cursor) {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof at === 'string' && !Number.isNaN(Date.parse(at)) && typeof id === 'string' && UUID.test(id)) {
      return [at, id];
    }
  } catch {
    // not base64url JSON: answered as a 400 below
  }
  return null;
}

function intParam(raw, fallback, min, max) {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  return Number.isInteger(n) && n >= min && n <= max ? n : null;
}

const app = Fastify({ logger: false });

app.get('/posts', async (request, reply) => {
  const q = request.query;
  const limit = intParam(q.limit, 20, 1, MAX_LIMIT);
  const offset = intParam(q.offset, 0, 0, MAX_OFFSET);
  const after = q.after === undefined ? undefined : decodeCursor(String(q.after));
  if (limit === null || offset === null || after === null) {
    return reply.code(400).send({ error: 'limit 1..100, offset 0..10000000, after a cursor from meta' });
  }
  const values = [tenantId, STATUS, limit + 1];
  let name = 'page';
  if (after) {
    values.push(after[0], after[1]);
    name = 'after';
  }
  if (q.offset !== undefined) {
    values.push(offset);
    name = after ? 'afterOffset' : 'offset';
  }
  const { rows } = await pool.query({ name: `posts_${name}`, text: POSTS_SQL[name], values });
  const more = rows.length > limit;
  const data = more ? rows.slice(0, limit) : rows;
  return {
    data,
    meta: { limit, nextCursor: more ? encodeCursor(data[data.length - 1]) : null, prevCursor: null },
  };
});

const close = () => {
  app
    .close()
    .then(() => pool.end())
    .finally(() => process.exit(0));
};
process.once('SIGTERM', close);
process.once('SIGINT', close);

await app.listen({ port, host });
