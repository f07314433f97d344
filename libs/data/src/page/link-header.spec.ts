import * as fc from 'fast-check';
import LinkHeader from 'http-link-header';
import { describe, expect, it } from 'vitest';
import { formEncode, pageLinks } from './link-header.js';

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

  it.each([
    ['plain-text_1.2*', 'plain-text_1.2*'],
    ['filter[status]', 'filter%5Bstatus%5D'],
    ['id,title', 'id%2Ctitle'],
    ["a b!'()~", 'a+b%21%27%28%29%7E'],
    ['é/€?&=#+', '%C3%A9%2F%E2%82%AC%3F%26%3D%23%2B'],
    ['\ud800x', '%EF%BF%BDx'],
  ])('encodes %j as URLSearchParams does: %s', (text, encoded) => {
    expect(formEncode(text)).toBe(encoded);
  });

  it('encodes every string exactly as URLSearchParams does (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme-ascii' }), (any, ascii) => {
        for (const text of [any, ascii])
          expect(formEncode(text)).toBe(new URLSearchParams([['', text]]).toString().slice(1));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps the parameters in the order received, URLSearchParams-encoded', () => {
    const query = { 'filter[title][contains]': 'a b', fields: 'id,title', before: 'x', limit: '5' };
    const header = pageLinks('/p', query, { limit: 5, nextCursor: null, prevCursor: null });
    const expected = new URLSearchParams({
      'filter[title][contains]': 'a b',
      fields: 'id,title',
      limit: '5',
    });
    expect(header).toBe(`</p?${expected.toString()}>; rel="first"`);
  });
});
