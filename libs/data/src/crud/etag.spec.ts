import { ProblemException } from '@kwik/core';
import { describe, expect, it } from 'vitest';
import { ifMatchHolds, ifNoneMatchMatches, parseEntityTags, versionEtag } from './etag.js';

describe('entity tags', () => {
  it('formats a version as a strong tag', () => {
    expect(versionEtag(7)).toBe('"7"');
  });

  it.each([
    ['*', { any: true }],
    ['"3"', { any: false, tags: [{ weak: false, opaque: '3' }] }],
    [
      ' "3" , W/"4",',
      {
        any: false,
        tags: [
          { weak: false, opaque: '3' },
          { weak: true, opaque: '4' },
        ],
      },
    ],
    [
      ['"1"', '"2"'],
      {
        any: false,
        tags: [
          { weak: false, opaque: '1' },
          { weak: false, opaque: '2' },
        ],
      },
    ],
    ['""', { any: false, tags: [{ weak: false, opaque: '' }] }],
  ])('parses %j', (header, expected) => {
    expect(parseEntityTags(header, 'If-Match')).toEqual(expected);
  });

  it.each(['3', '"3', 'W/3', '"3" "4"', '', ',', '**', '"a b"'])(
    'rejects %j with a 400 naming the header',
    (header) => {
      let error: unknown;
      try {
        parseEntityTags(header, 'If-Match');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ProblemException);
      expect((error as ProblemException).problem).toMatchObject({
        status: 400,
        errors: [{ field: 'If-Match' }],
      });
    },
  );

  it('is undefined when the header is absent', () => {
    expect(parseEntityTags(undefined, 'If-None-Match')).toBeUndefined();
  });

  it.each([
    ['*', 3, true, true],
    ['"3"', 3, true, true],
    ['"2", "3"', 3, true, true],
    ['W/"3"', 3, false, true],
    ['"2"', 3, false, false],
    ['"abc"', 3, false, false],
  ])('%s against version %i: If-Match %s, If-None-Match %s', (header, version, match, noneMatch) => {
    const condition = parseEntityTags(header, 'If-Match')!;
    expect(ifMatchHolds(condition, version)).toBe(match);
    expect(ifNoneMatchMatches(condition, version)).toBe(noneMatch);
  });
});
