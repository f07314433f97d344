import type {
  DeprecationInfo,
  VersioningModuleOptions,
  VersioningType,
} from './versioning-options.interface.js';
import { VersioningError, VersioningErrorCode } from './versioning.errors.js';

/** A deprecation with its header values computed once. */
export interface ResolvedDeprecation extends DeprecationInfo {
  /** `@<epoch seconds>` (RFC 9745). */
  readonly deprecationHeader: string;
  /** The RFC 8594 HTTP date, when a sunset is set. */
  readonly sunsetHeader?: string;
}

/** The options with every default applied, validated. */
export interface ResolvedVersioningOptions {
  readonly type: VersioningType;
  readonly vendor: string;
  readonly header: string;
  readonly queryParam: string;
  readonly uriPrefix: string;
  readonly versions: readonly string[];
  readonly defaultVersion: string;
  readonly latest: string;
  readonly deprecated: ReadonlyMap<string, ResolvedDeprecation>;
  readonly excludePaths: readonly string[];
  readonly docs: boolean;
  readonly responseHeader: string | false;
}

const TYPES: readonly VersioningType[] = ['media-type', 'header', 'uri', 'query'];

function fail(message: string, where = 'VersioningModule.forRoot()'): never {
  throw new VersioningError(VersioningErrorCode.InvalidOptions, `${where}: ${message}`);
}

/** Validates a deprecation and computes its header values; `where` names it in errors. */
export function resolveDeprecation(
  info: DeprecationInfo,
  where: string,
  bootTime = Date.now(),
): ResolvedDeprecation {
  const date = (value: string | undefined, key: string): number | undefined => {
    if (value === undefined) return undefined;
    const ms = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : NaN;
    if (Number.isNaN(ms))
      fail(
        `${where.startsWith('@') ? `${key}` : `${where}.${key}`} "${String(value)}" is not an ISO 8601 date (e.g. '2027-06-30')`,
        where.startsWith('@') ? where : undefined,
      );
    return ms;
  };
  const since = date(info.since, 'since') ?? bootTime;
  const sunset = date(info.sunset, 'sunset');
  if (info.link !== undefined && (typeof info.link !== 'string' || !/^(\/|https?:\/\/)\S*$/.test(info.link)))
    fail(
      `${where.startsWith('@') ? 'link' : `${where}.link`} must be an absolute path or an http(s) URL, got "${String(info.link)}"`,
      where.startsWith('@') ? where : undefined,
    );
  return {
    ...info,
    deprecationHeader: `@${Math.floor(since / 1000)}`,
    ...(sunset !== undefined ? { sunsetHeader: new Date(sunset).toUTCString() } : {}),
  };
}

export function resolveVersioningOptions(options: VersioningModuleOptions): ResolvedVersioningOptions {
  if (!options || typeof options !== 'object') fail('options are required: { versions: [...] }');
  const type = options.type ?? 'media-type';
  if (!TYPES.includes(type)) fail(`type "${String(type)}" is not one of ${TYPES.join(', ')}`);
  const versions = options.versions;
  if (!Array.isArray(versions) || versions.length === 0)
    fail("`versions` must list the supported versions, oldest first (e.g. ['1', '2'])");
  for (const v of versions)
    if (typeof v !== 'string' || !/^[\w.-]{1,32}$/.test(v))
      fail(
        `version "${String(v)}" must be a string of letters, digits, '.', '_' or '-' (e.g. '2' or '2026-01-15')`,
      );
  if (new Set(versions).size !== versions.length)
    fail(`\`versions\` lists a version twice: ${versions.join(', ')}`);
  const defaultVersion = options.defaultVersion ?? versions[0]!;
  if (!versions.includes(defaultVersion))
    fail(`defaultVersion "${defaultVersion}" is not one of the versions (${versions.join(', ')})`);
  const vendor = options.vendor ?? 'kwik';
  if (!/^[a-z0-9][a-z0-9.-]*$/i.test(vendor)) fail(`vendor "${vendor}" must be letters, digits, '.' or '-'`);
  const header = options.header ?? 'x-api-version';
  if (!/^[\w-]+$/.test(header)) fail(`header "${header}" is not a valid header name`);
  const queryParam = options.queryParam ?? 'version';
  if (!/^[\w.-]+$/.test(queryParam))
    fail(`queryParam "${queryParam}" must be letters, digits, '.', '_' or '-'`);
  const uriPrefix = options.uriPrefix ?? 'v';
  if (!/^[\w.-]*$/.test(uriPrefix)) fail(`uriPrefix "${uriPrefix}" must be letters, digits, '.', '_' or '-'`);
  const deprecated = new Map<string, ResolvedDeprecation>();
  const bootTime = Date.now();
  for (const [version, info] of Object.entries(options.deprecated ?? {})) {
    if (!versions.includes(version))
      fail(
        `deprecated names version "${version}", which is not one of the versions (${versions.join(', ')})`,
      );
    deprecated.set(version, resolveDeprecation(info, `deprecated['${version}']`, bootTime));
  }
  const responseHeader = options.responseHeader ?? 'api-version';
  if (responseHeader !== false && !/^[\w-]+$/.test(responseHeader))
    fail(`responseHeader "${String(responseHeader)}" is not a valid header name (or false for none)`);
  return {
    type,
    vendor,
    header: header.toLowerCase(),
    queryParam,
    uriPrefix,
    versions,
    defaultVersion,
    latest: versions[versions.length - 1]!,
    deprecated,
    excludePaths: options.excludePaths ?? ['/health/*', '/docs', '/docs/*'],
    docs: options.docs ?? true,
    responseHeader: responseHeader === false ? false : responseHeader.toLowerCase(),
  };
}
