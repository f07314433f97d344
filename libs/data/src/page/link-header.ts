import type { ShapedPage } from './shaped-list.js';

const PAGING_PARAMS = new Set(['after', 'before', 'page']);

/** Characters `encodeURIComponent` leaves as they are but URLSearchParams encodes (and the space, `+` there). */
const FORM_ONLY = /[!'()~ ]/;

/**
 * `text` encoded as URLSearchParams encodes a key or value (application/x-www-form-urlencoded):
 * through `encodeURIComponent` where the two agree, which is every text without `!'()~`, spaces or
 * lone surrogates — about 3x faster than a URLSearchParams per URL.
 */
export function formEncode(text: string): string {
  if (!FORM_ONLY.test(text)) {
    try {
      return encodeURIComponent(text);
    } catch {
      // a lone surrogate: URLSearchParams writes U+FFFD for it
    }
  }
  return new URLSearchParams([['', text]]).toString().slice(1);
}

/** The request's query string without its paging parameters (URLSearchParams' encoding). */
function baseQuery(params: Readonly<Record<string, string>>): string {
  let query = '';
  for (const key in params) {
    if (PAGING_PARAMS.has(key)) continue;
    query += `${query ? '&' : ''}${formEncode(key)}=${formEncode(params[key]!)}`;
  }
  return query;
}

/** A cursor as a query value: Kwik's own are base64url and `.` (kept as they are); anything else is encoded. */
function encodeCursor(cursor: string): string {
  return /^[\w.-]*$/.test(cursor) ? cursor : formEncode(cursor);
}

/** `path` with `base` and one paging parameter; `value` is already encoded. */
function withParam(path: string, base: string, name?: string, value?: string): string {
  const extra = name === undefined ? '' : `${name}=${value}`;
  const query = base && extra ? `${base}&${extra}` : base || extra;
  return query ? `${path}?${query}` : path;
}

/**
 * The RFC 8288 `Link` header of a page: `first`, and `next` / `prev` when they exist. URLs keep
 * every other query parameter of the request (filters, sort, fields, limit) and are relative to the
 * request's origin (`</api/posts?limit=20&after=…>; rel="next"`). Query values are
 * percent-encoded by URLSearchParams, so a URL never contains `>` or `,` unescaped.
 */
export function pageLinks(
  path: string,
  params: Readonly<Record<string, string>>,
  meta: ShapedPage['meta'],
): string {
  const links: string[] = [];
  const base = baseQuery(params);
  const link = (uri: string, rel: string) => links.push(`<${uri}>; rel="${rel}"`);
  const offset = meta.page !== undefined;
  link(offset ? withParam(path, base, 'page', '1') : withParam(path, base), 'first');
  if (offset) {
    if (meta.nextCursor !== null) link(withParam(path, base, 'page', String(meta.page! + 1)), 'next');
    if (meta.page! > 1) link(withParam(path, base, 'page', String(meta.page! - 1)), 'prev');
  } else {
    if (meta.nextCursor !== null) link(withParam(path, base, 'after', encodeCursor(meta.nextCursor)), 'next');
    if (meta.prevCursor !== null)
      link(withParam(path, base, 'before', encodeCursor(meta.prevCursor)), 'prev');
  }
  return links.join(', ');
}
