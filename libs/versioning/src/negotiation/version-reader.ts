import type { VersioningType } from '../versioning-options.interface.js';

/** What the reader needs of the options. */
export interface VersionReaderOptions {
  type: VersioningType;
  vendor: string;
  header: string;
  queryParam: string;
  uriPrefix: string;
  versions: readonly string[];
  defaultVersion: string;
}

/** The version a request is served in; `requested` when the client named it. */
export interface ReadVersion {
  readonly version: string;
  readonly requested: boolean;
}

/** Why no version could be chosen: the 406 problem's detail. */
export interface RefusedVersion {
  readonly refused: string;
}

export type VersionReading = ReadVersion | RefusedVersion;

/** The parts of a request the reader looks at (a Node `IncomingMessage` has them). */
export interface VersionedRequestLike {
  readonly url?: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

const MEDIA_RANGE = /^[\w!#$&^.+*-]+\/[\w!#$&^.+*-]+$/;
const MAX_ACCEPT = 4096;

/**
 * Reads the API version of a request, as the options say: the vendor media type in `Accept`, a
 * header, the URI prefix or a query parameter. A request that names no version gets the default;
 * one that names an unsupported version, an unknown vendor or a malformed value is refused (406).
 * Pure: the same request always reads the same.
 *
 * @example
 * const read = versionReader({ type: 'media-type', vendor: 'kwik', versions: ['1', '2'], defaultVersion: '1', … });
 * read({ headers: { accept: 'application/vnd.kwik.v2+json' } }); // { version: '2', requested: true }
 */
export function versionReader(
  options: VersionReaderOptions,
): (request: VersionedRequestLike) => VersionReading {
  const supported = new Set(options.versions);
  const fallback: ReadVersion = { version: options.defaultVersion, requested: false };
  const named = new Map(options.versions.map((v) => [v, { version: v, requested: true } as ReadVersion]));
  const list = options.versions.join(', ');
  const unsupported = (given: string): RefusedVersion => ({
    refused: `API version "${clip(given)}" is not supported; supported versions: ${list}`,
  });
  const pick = (given: string): VersionReading => named.get(given) ?? unsupported(given);

  switch (options.type) {
    case 'header': {
      const name = options.header.toLowerCase();
      return (request) => {
        const value = request.headers[name];
        if (value === undefined) return fallback;
        if (Array.isArray(value)) return { refused: `the ${options.header} header is sent more than once` };
        const trimmed = value.trim();
        if (trimmed === '') return fallback;
        return pick(supported.has(trimmed) ? trimmed : trimmed.replace(/^v/i, ''));
      };
    }
    case 'query':
      return (request) => {
        const url = request.url ?? '';
        const q = url.indexOf('?');
        if (q < 0) return fallback;
        const values = new URLSearchParams(url.slice(q + 1)).getAll(options.queryParam);
        if (values.length === 0 || (values.length === 1 && values[0] === '')) return fallback;
        if (values.length > 1)
          return { refused: `the query parameter "${options.queryParam}" is given more than once` };
        return pick(values[0]!);
      };
    case 'uri': {
      const prefix = new RegExp(`^/${escapeRegExp(options.uriPrefix)}([^/?#]+)(?:[/?#]|$)`);
      return (request) => {
        const match = prefix.exec(request.url ?? '');
        // A path without the prefix is a version-neutral route (or a 404): the default version.
        if (!match) return fallback;
        // `/v9/…` names a version; `/videos/…` does not (a segment not declared and not digit-led).
        const segment = match[1]!;
        if (!named.has(segment) && (options.uriPrefix === '' || !/^\d/.test(segment))) return fallback;
        return pick(segment);
      };
    }
    default:
      return mediaTypeReader(options.vendor, named, fallback, unsupported);
  }
}

/**
 * `Accept` negotiation: the supported vendor type with the highest `q` wins
 * (`application/vnd.<vendor>.v2+json`, or `application/json; v=2`); an unsupported version of the
 * vendor's type is refused unless a supported one is also acceptable; types of other vendors only
 * are refused; anything else acceptable (`application/json`, `*\/*`, `text/csv`) gets the default.
 */
function mediaTypeReader(
  vendor: string,
  named: ReadonlyMap<string, ReadVersion>,
  fallback: ReadVersion,
  unsupported: (given: string) => RefusedVersion,
): (request: VersionedRequestLike) => VersionReading {
  // Checked first and exactly, so a vendor containing `.v` (acme.video) reads right.
  const ourType = new RegExp(`^application/vnd\\.${escapeRegExp(vendor)}(?:\\.v([^+]+))?\\+json$`, 'i');
  const anyVendor = /^application\/vnd\.([^+]+)\+json$/i;
  return (request) => {
    const header = request.headers.accept;
    const accept = Array.isArray(header) ? header.join(',') : header;
    if (accept === undefined || accept.trim() === '') return fallback;
    if (accept.length > MAX_ACCEPT)
      return { refused: `the Accept header is longer than ${MAX_ACCEPT} characters` };
    let best: ReadVersion | undefined;
    let bestQ = 0;
    let refused: RefusedVersion | undefined;
    let foreign: string | undefined;
    let other = false;
    for (const range of accept.split(',')) {
      const [rawType, ...rawParams] = range.split(';');
      const type = rawType!.trim().toLowerCase();
      if (type === '' && rawParams.length === 0) continue;
      if (!MEDIA_RANGE.test(type))
        return { refused: `the Accept header is malformed near "${clip(range.trim())}"` };
      let q = 1;
      let param: string | undefined;
      for (const p of rawParams) {
        const eq = p.indexOf('=');
        const key = (eq < 0 ? p : p.slice(0, eq)).trim().toLowerCase();
        const value =
          eq < 0
            ? ''
            : p
                .slice(eq + 1)
                .trim()
                .replace(/^"(.*)"$/, '$1');
        if (key === 'q') {
          if (!/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value))
            return { refused: `the Accept header has a malformed q value "${clip(value)}"` };
          q = Number(value);
        } else if (key === 'v' || key === 'version') param = value;
        else if (key === '')
          return { refused: `the Accept header is malformed near "${clip(range.trim())}"` };
      }
      if (q === 0) continue;
      const match = ourType.exec(type);
      let version: string | undefined;
      // `application/vnd.kwik.video+json` is another vendor's type, not version "ideo" of ours.
      if (match && (match[1] === undefined || named.has(match[1]) || /^\d/.test(match[1])))
        version = match[1] ?? param;
      else if (anyVendor.test(type)) {
        foreign ??= anyVendor.exec(type)![1]!.replace(/\.v\d[^.]*$/, '');
        continue;
      } else if (type === 'application/json' && param !== undefined) version = param;
      if (version === undefined) {
        other = true;
        continue;
      }
      const read = named.get(version);
      if (!read) {
        refused ??= unsupported(version);
        continue;
      }
      if (q > bestQ) {
        best = read;
        bestQ = q;
      }
    }
    if (best) return best;
    if (refused) return refused;
    if (other) return fallback;
    if (foreign !== undefined)
      return {
        refused: `the media type vendor "${clip(foreign)}" is unknown; use application/vnd.${vendor}.v<version>+json`,
      };
    return { refused: 'the Accept header accepts nothing this API serves (every media range has q=0)' };
  };
}

function clip(value: string): string {
  return value.length > 60 ? `${value.slice(0, 60)}…` : value;
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
