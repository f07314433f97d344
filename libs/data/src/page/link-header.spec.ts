import LinkHeader from 'http-link-header';
import { describe, expect, it } from 'vitest';
import { pageLinks } from './link-header.js';

const params = { 'filter[status]': 'published', sort: '-publishedAt', limit: '20', after: 'old' };

describe('pageLinks (RFC 8288)', () => {
  it('links first, next and prev, keeping the other parameters and replacing the cursor', () => {
    const header = pageLinks('/api/posts', params, { limit: 20, nextCursor: 'n.1', prevCursor: 'p.2' });
    const parsed = LinkHeader.parse(header);
    const uri = (rel: string) => new URL(parsed.get('rel', rel)[0]!.uri, 'http://x');
    expect(uri('first').searchParams.get('after')).toBeNull();
    expect(uri('next').searchParams.get('after')).toBe('n.1');
    expect(uri('prev').searchParams.get('before')).toBe('p.2');
    for (const rel of ['first', 'next', 'prev']) {
      expect(uri(rel).pathname).toBe('/api/posts');
      expect(uri(rel).searchParams.get('filter[status]')).toBe('published');
      expect(uri(rel).searchParams.get('sort')).toBe('-publishedAt');
    }
    expect(header).toContain('rel="next"');
  });

  it('omits next and prev at the ends', () => {
    const parsed = LinkHeader.parse(pageLinks('/a', {}, { limit: 20, nextCursor: null, prevCursor: null }));
    expect(parsed.refs.map((r) => r.rel)).toEqual(['first']);
    expect(parsed.refs[0]!.uri).toBe('/a');
  });

  it('uses page numbers in offset mode', () => {
    const parsed = LinkHeader.parse(
      pageLinks('/a', { page: '2' }, { limit: 20, nextCursor: 'n', prevCursor: 'p', page: 2 }),
    );
    expect(parsed.get('rel', 'next')[0]!.uri).toBe('/a?page=3');
    expect(parsed.get('rel', 'prev')[0]!.uri).toBe('/a?page=1');
    expect(parsed.get('rel', 'first')[0]!.uri).toBe('/a?page=1');
  });
});
