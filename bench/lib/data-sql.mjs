// The SQL of the hand-written baseline (bench/servers/pg-posts.mjs): one tenant's posts of one
// status, newest first, only id/title/publishedAt, LIMIT $3 (the page size + 1). Shared with the
// harness, which EXPLAINs the same statements, and the first page as the two context servers that run
// it by hand answer it (bench/servers/nest-pg-posts.mjs, kwik-floor.mjs). No dependencies.
const SELECT = 'SELECT p.id, p.title, p."publishedAt" FROM posts p WHERE p."tenantId" = $1 AND p.status = $2';
const KEYSET = ' AND (p."publishedAt", p.id) < ($4, $5)';
const ORDER = ' ORDER BY p."publishedAt" DESC NULLS LAST, p.id DESC LIMIT $3';

/** The four variants (plain, after a cursor, OFFSET, both), each prepared by name as posts_<key>. */
export const POSTS_SQL = {
  page: `${SELECT}${ORDER}`,
  after: `${SELECT}${KEYSET}${ORDER}`,
  offset: `${SELECT}${ORDER} OFFSET $4`,
  afterOffset: `${SELECT}${KEYSET}${ORDER} OFFSET $6`,
};

/**
 * The first page as the hand-written baseline answers it, its statement run on `pool` (a `pg` Pool,
 * or anything with its `query(config)`); `rawLimit` from the query string, clamped to 1..100.
 */
export async function firstPostsPage(pool, tenantId, rawLimit) {
  const limit = Math.min(Math.max(Number(rawLimit ?? 20) || 20, 1), 100);
  const { rows } = await pool.query({
    name: 'posts_page',
    text: POSTS_SQL.page,
    values: [tenantId, 'published', limit + 1],
  });
  const more = rows.length > limit;
  const data = more ? rows.slice(0, limit) : rows;
  const last = data[data.length - 1];
  const next = more ? Buffer.from(JSON.stringify([last.publishedAt, last.id])).toString('base64url') : null;
  return { data, meta: { limit, nextCursor: next, prevCursor: null } };
}
