import { describe, expect, it } from 'vitest';
import { resolveVersioningOptions } from './resolve-options.js';
import type { VersioningModuleOptions } from './versioning-options.interface.js';
import { VersioningError } from './versioning.errors.js';

describe('resolveVersioningOptions', () => {
  it('applies the defaults', () => {
    const o = resolveVersioningOptions({ versions: ['1', '2'] });
    expect(o).toMatchObject({
      type: 'media-type',
      vendor: 'kwik',
      header: 'x-api-version',
      queryParam: 'version',
      uriPrefix: 'v',
      defaultVersion: '1',
      latest: '2',
      docs: true,
      responseHeader: 'api-version',
      excludePaths: ['/health/*', '/docs', '/docs/*'],
    });
    expect(o.deprecated.size).toBe(0);
  });

  it('computes the deprecation headers once (RFC 9745 date, RFC 8594 HTTP date)', () => {
    const o = resolveVersioningOptions({
      versions: ['1', '2'],
      deprecated: {
        '1': { since: '2026-12-01', sunset: '2027-06-30T12:00:00Z', link: '/docs/migrations/v2' },
      },
    });
    expect(o.deprecated.get('1')).toMatchObject({
      deprecationHeader: `@${Date.UTC(2026, 11, 1) / 1000}`,
      sunsetHeader: 'Wed, 30 Jun 2027 12:00:00 GMT',
      link: '/docs/migrations/v2',
    });
  });

  it.each<[string, Partial<VersioningModuleOptions>, RegExp]>([
    ['no versions', { versions: [] }, /`versions` must list the supported versions/],
    ['a version with a space', { versions: ['1', 'two 2'] }, /version "two 2" must be a string of letters/],
    ['a repeated version', { versions: ['1', '1'] }, /lists a version twice/],
    [
      'an unknown default',
      { versions: ['1', '2'], defaultVersion: '3' },
      /defaultVersion "3" is not one of the versions/,
    ],
    [
      'an unknown type',
      { versions: ['1'], type: 'cookie' as never },
      /type "cookie" is not one of media-type, header, uri, query/,
    ],
    ['a bad vendor', { versions: ['1'], vendor: 'ac me' }, /vendor "ac me"/],
    ['a bad header', { versions: ['1'], header: 'x api' }, /header "x api" is not a valid header name/],
    [
      'a deprecated unknown version',
      { versions: ['1'], deprecated: { '0': {} } },
      /deprecated names version "0"/,
    ],
    [
      'a sunset that is not a date',
      { versions: ['1', '2'], deprecated: { '1': { sunset: 'next year' } } },
      /deprecated\['1'\]\.sunset "next year" is not an ISO 8601 date/,
    ],
    [
      'a relative link without a slash',
      { versions: ['1', '2'], deprecated: { '1': { link: 'docs/v2' } } },
      /link must be an absolute path or an http\(s\) URL/,
    ],
  ])('fails at boot on %s, saying how to fix it', (_name, options, message) => {
    const run = () => resolveVersioningOptions({ versions: ['1'], ...options } as VersioningModuleOptions);
    expect(run).toThrow(VersioningError);
    expect(run).toThrow(message);
    expect(run).toThrow(/KWIK_VERSIONING_INVALID_OPTIONS/);
  });
});
