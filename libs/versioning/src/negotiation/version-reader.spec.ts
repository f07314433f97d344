import { describe, expect, it } from 'vitest';
import { versionReader, type VersionReaderOptions } from './version-reader.js';

const base: VersionReaderOptions = {
  type: 'media-type',
  vendor: 'kwik',
  header: 'x-api-version',
  queryParam: 'version',
  uriPrefix: 'v',
  versions: ['1', '2', '3'],
  defaultVersion: '1',
};
const read = (
  type: VersionReaderOptions['type'],
  request: { url?: string; headers?: Record<string, string | string[]> },
) => versionReader({ ...base, type })({ url: request.url ?? '/', headers: request.headers ?? {} });

describe('media-type versions (Accept)', () => {
  it.each([
    ['no Accept', undefined, '1', false],
    ['empty Accept', '', '1', false],
    ['*/*', '*/*', '1', false],
    ['application/json', 'application/json', '1', false],
    ['application/*', 'application/*', '1', false],
    ['text/csv (a format, not a version)', 'text/csv', '1', false],
    ['the vendor type', 'application/vnd.kwik.v2+json', '2', true],
    ['the vendor type, case-insensitive', 'Application/VND.Kwik.V3+JSON', '3', true],
    ['the vendor type without a version', 'application/vnd.kwik+json', '1', false],
    ['application/json with v=', 'application/json; v=2', '2', true],
    ['application/json with version=', 'application/json;version="3"', '3', true],
    [
      'the highest q among supported vendor types',
      'application/vnd.kwik.v2+json;q=0.5, application/vnd.kwik.v3+json;q=0.9',
      '3',
      true,
    ],
    [
      'a supported version beside an unsupported one',
      'application/vnd.kwik.v9+json, application/vnd.kwik.v2+json;q=0.1',
      '2',
      true,
    ],
    [
      'a foreign vendor beside application/json',
      'application/vnd.acme.v2+json, application/json;q=0.5',
      '1',
      false,
    ],
    ['a vendor type with q=0 beside */*', 'application/vnd.kwik.v2+json;q=0, */*', '1', false],
    ['an array of Accept headers', ['text/html', 'application/vnd.kwik.v2+json'], '2', true],
  ])('%s → version %s', (_name, accept, version, requested) => {
    expect(read('media-type', { headers: accept === undefined ? {} : { accept } })).toEqual({
      version,
      requested,
    });
  });

  it.each([
    [
      'an unsupported version',
      'application/vnd.kwik.v9+json',
      /"9" is not supported; supported versions: 1, 2, 3/,
    ],
    [
      'an unsupported version beside application/json',
      'application/vnd.kwik.v4+json, application/json',
      /"4" is not supported/,
    ],
    ['an unsupported v= parameter', 'application/json; v=7', /"7" is not supported/],
    [
      'an unknown vendor only',
      'application/vnd.acme.v2+json',
      /vendor "acme" is unknown; use application\/vnd\.kwik\.v<version>\+json/,
    ],
    ['a range without a slash', 'json', /malformed near "json"/],
    ['garbage', 'a/b/c', /malformed/],
    ['a parameter without a name', 'application/json;=1', /malformed/],
    ['a malformed q', 'application/json;q=high', /malformed q value "high"/],
    ['a q above 1', 'application/json;q=1.5', /malformed q value/],
    ['everything refused with q=0', 'application/json;q=0', /accepts nothing this API serves/],
    ['an Accept over 4 KiB', `application/json, ${'text/plain, '.repeat(400)}`, /longer than 4096/],
  ])('%s → refused', (_name, accept, why) => {
    const reading = read('media-type', { headers: { accept } });
    expect(reading).toHaveProperty('refused');
    expect((reading as { refused: string }).refused).toMatch(why);
  });
});

describe('header versions', () => {
  it.each([
    [{}, '1', false],
    [{ 'x-api-version': '' }, '1', false],
    [{ 'x-api-version': '2' }, '2', true],
    [{ 'x-api-version': ' 3 ' }, '3', true],
    [{ 'x-api-version': 'v2' }, '2', true],
  ])('%j → version %s', (headers, version, requested) => {
    expect(read('header', { headers })).toEqual({ version, requested });
  });

  it.each([
    [{ 'x-api-version': '4' }, /"4" is not supported/],
    [{ 'x-api-version': 'latest' }, /"latest" is not supported/],
    [{ 'x-api-version': ['1', '2'] }, /sent more than once/],
  ])('%j → refused', (headers, why) => {
    expect((read('header', { headers }) as { refused: string }).refused).toMatch(why);
  });

  it('reads a vendor containing ".v" right', () => {
    const reader = versionReader({ ...base, vendor: 'acme.video' });
    expect(reader({ headers: { accept: 'application/vnd.acme.video.v2+json' } })).toEqual({
      version: '2',
      requested: true,
    });
    expect(reader({ headers: { accept: 'application/vnd.kwik.v2+json' } })).toEqual({
      refused: 'the media type vendor "kwik" is unknown; use application/vnd.acme.video.v<version>+json',
    });
  });

  it('does not take another type of the vendor for a version', () => {
    expect(read('media-type', { headers: { accept: 'application/vnd.kwik.video+json' } })).toEqual({
      refused: 'the media type vendor "kwik.video" is unknown; use application/vnd.kwik.v<version>+json',
    });
    expect(read('media-type', { headers: { accept: 'application/vnd.acme.video+json' } })).toMatchObject({
      refused: expect.stringContaining('"acme.video"'),
    });
  });

  it('reads the configured header name case-insensitively', () => {
    const reader = versionReader({ ...base, type: 'header', header: 'Api-Version' });
    expect(reader({ headers: { 'api-version': '3' } })).toEqual({ version: '3', requested: true });
  });
});

describe('query versions', () => {
  it.each([
    ['/posts', '1', false],
    ['/posts?version=', '1', false],
    ['/posts?limit=2&version=3', '3', true],
    ['/posts?versions=3', '1', false],
  ])('%s → version %s', (url, version, requested) => {
    expect(read('query', { url })).toEqual({ version, requested });
  });

  it.each([
    ['/posts?version=9', /"9" is not supported/],
    ['/posts?version=1&version=2', /given more than once/],
  ])('%s → refused', (url, why) => {
    expect((read('query', { url }) as { refused: string }).refused).toMatch(why);
  });
});

describe('URI versions', () => {
  it.each([
    ['/v2/posts', '2', true],
    ['/v3', '3', true],
    ['/v1?x=1', '1', true],
    ['/health/live', '1', false],
    ['/videos/1', '1', false],
  ])('%s → version %s', (url, version, requested) => {
    expect(read('uri', { url })).toEqual({ version, requested });
  });

  it('refuses an unsupported version prefix', () => {
    expect((read('uri', { url: '/v9/posts' }) as { refused: string }).refused).toMatch(
      /"9" is not supported/,
    );
  });
});
