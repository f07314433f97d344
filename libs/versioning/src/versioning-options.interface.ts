import type { VersionChange } from './changes/version-change.js';

/** Where a request names its API version. */
export type VersioningType = 'media-type' | 'header' | 'uri' | 'query';

/** A deprecated version or route: what `Deprecation`, `Sunset` and `Link` say. */
export interface DeprecationInfo {
  /**
   * When it was (or will be) deprecated: an ISO 8601 date or date-time, sent as the RFC 9745
   * `Deprecation: @<epoch seconds>` header. @default the date the app started (set it, so the
   * header stays the same across deploys)
   */
  since?: string;
  /** When it stops working: an ISO 8601 date or date-time, sent as the RFC 8594 `Sunset` HTTP date. @default none */
  sunset?: string;
  /** A page explaining the deprecation and how to migrate: `Link: <…>; rel="deprecation"`. @default none */
  link?: string;
}

/** Options of `VersioningModule.forRoot()`. */
export interface VersioningModuleOptions {
  /**
   * Where clients name the version: `media-type` (`Accept: application/vnd.<vendor>.v2+json`, also
   * `application/json; v=2`), `header` (`X-API-Version: 2`), `uri` (`/v2/...`), `query` (`?version=2`).
   * @default 'media-type'
   */
  type?: VersioningType;
  /** The vendor of the media type: `application/vnd.<vendor>.v<version>+json`. @default 'kwik' */
  vendor?: string;
  /** The request header of the `header` type. @default 'x-api-version' */
  header?: string;
  /** The query parameter of the `query` type. @default 'version' */
  queryParam?: string;
  /** The path prefix of the `uri` type, before the version: `/v2/...`. @default 'v' */
  uriPrefix?: string;
  /** Every supported version, oldest first (the order version changes are applied in). Required. */
  versions: readonly string[];
  /** The version of requests that name none. @default the oldest (clients that never chose keep what they were built against) */
  defaultVersion?: string;
  /**
   * The version changes between consecutive versions (classes extending `VersionChange`, or
   * instances): each says how a request of the version before it is migrated up and how a response
   * is migrated back down. Controllers are written for the latest version only. @default []
   */
  changes?: readonly (VersionChange | (new () => VersionChange))[];
  /** Deprecated versions: version → what its `Deprecation` / `Sunset` / `Link` headers say. @default {} */
  deprecated?: Readonly<Record<string, DeprecationInfo>>;
  /**
   * Paths (exact, or a prefix ending in `*`) served without negotiation: no 406, no version
   * headers. @default ['/health/*', '/docs', '/docs/*']
   */
  excludePaths?: readonly string[];
  /** One OpenAPI document per version at `/docs/v<version>/json`, with a picker in the UI. @default true */
  docs?: boolean;
  /** Response header naming the version served; `false` for none. @default 'api-version' */
  responseHeader?: string | false;
}
