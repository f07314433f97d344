import { SetMetadata } from '@nestjs/common';
import { DEPRECATED_METADATA } from '../versioning.constants.js';
import type { DeprecationInfo } from '../versioning-options.interface.js';

/**
 * Marks a route (or every route of a controller) deprecated: its responses carry `Deprecation`
 * (RFC 9745), `Sunset` (RFC 8594, when given) and `Link: <link>; rel="deprecation"`, its requests
 * are counted in `VersionUsage`, and its OpenAPI operations say `deprecated: true`. To deprecate a
 * whole API version, use the module's `deprecated` option instead.
 *
 * @example
 * @Get('legacy-feed')
 * @Deprecated({ since: '2026-12-01', sunset: '2027-06-30', link: '/docs/migrations/feed' })
 * feed() { … }
 */
export function Deprecated(info: DeprecationInfo = {}): ClassDecorator & MethodDecorator {
  return SetMetadata(DEPRECATED_METADATA, info);
}
