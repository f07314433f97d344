import type { ShapedPage } from './shaped-list.js';

const PAGING_PARAMS = new Set(['after', 'before', 'page']);

function withParams(
  path: string,
  params: Readonly<Record<string, string>>,
  extra: Record<string, string>,
): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (!PAGING_PARAMS.has(key)) search.set(key, value);
  for (const [key, value] of Object.entries(extra)) search.set(key, value);
  const text = search.toString();
  return text ? `${path}?${text}` : path;
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
  const link = { set: ({ uri, rel }: { uri: string; rel: string }) => links.push(`<${uri}>; rel="${rel}"`) };
  const offset = meta.page !== undefined;
  link.set({ uri: withParams(path, params, offset ? { page: '1' } : {}), rel: 'first' });
  if (offset) {
    if (meta.nextCursor !== null)
      link.set({ uri: withParams(path, params, { page: String(meta.page! + 1) }), rel: 'next' });
    if (meta.page! > 1)
      link.set({ uri: withParams(path, params, { page: String(meta.page! - 1) }), rel: 'prev' });
  } else {
    if (meta.nextCursor !== null)
      link.set({ uri: withParams(path, params, { after: meta.nextCursor }), rel: 'next' });
    if (meta.prevCursor !== null)
      link.set({ uri: withParams(path, params, { before: meta.prevCursor }), rel: 'prev' });
  }
  return links.join(', ');
}
