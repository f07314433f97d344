// The SQL of the hand-written baseline (bench/servers/pg-posts.mjs): one tenant's posts of one
// status, newest first, only id/title/publishedAt, LIMIT $3 (the page size + 1). Shared with the
// harness, which EXPLAINs the same statements. No dependencies.
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
