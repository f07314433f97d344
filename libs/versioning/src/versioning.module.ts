import { Module, VERSION_NEUTRAL, VersioningType } from '@nestjs/common';
import { APP_GUARD, ApplicationConfig, DiscoveryModule } from '@nestjs/core';
import { VersionChain } from './changes/version-chain.js';
import { DeprecationGuard } from './deprecation/deprecation.guard.js';
import { VersionUsage } from './deprecation/version-usage.js';
import { VersioningHttp } from './http/versioning-http.service.js';
import { VersionDocuments } from './openapi/version-documents.js';
import { resolveVersioningOptions, type ResolvedVersioningOptions } from './resolve-options.js';
import { VERSIONING_MODULE_OPTIONS, VERSIONING_RESOLVED_OPTIONS } from './versioning.constants.js';
import { VersioningConfigurableModule } from './versioning.module-definition.js';
import type { VersioningModuleOptions } from './versioning-options.interface.js';

/** Tells Nest's router how to read versions, before it registers the routes. */
class RouterVersioning {
  constructor(config: ApplicationConfig, options: ResolvedVersioningOptions, http: VersioningHttp) {
    if (options.type === 'uri')
      config.enableVersioning({
        type: VersioningType.URI,
        prefix: options.uriPrefix,
        defaultVersion: [...options.versions],
      });
    else
      config.enableVersioning({
        type: VersioningType.CUSTOM,
        // Nest's router picks among `@Version()` handlers with it; unannotated routes serve every version.
        extractor: (request: unknown) => http.versionOf(request as never),
        defaultVersion: VERSION_NEUTRAL,
      });
  }
}

/**
 * API versions for the whole app: the version is read from the vendor media type (default), a
 * header, the URI or a query parameter; unsupported ones get a 406 problem; each version has its
 * own OpenAPI document; deprecated versions and routes send `Deprecation` / `Sunset` / `Link`; and
 * older versions are served by migrating requests up and responses down through `VersionChange`s,
 * so controllers are written for the latest version only.
 *
 * @example
 * @Module({
 *   imports: [
 *     KwikModule.forRoot(),
 *     VersioningModule.forRoot({
 *       versions: ['1', '2'],
 *       defaultVersion: '1',
 *       changes: [ContentReplacesBody],
 *       deprecated: { '1': { sunset: '2027-06-30', link: '/docs/migrations/v2' } },
 *     }),
 *   ],
 * })
 * export class AppModule {}
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    {
      provide: VERSIONING_RESOLVED_OPTIONS,
      inject: [VERSIONING_MODULE_OPTIONS],
      useFactory: (options: VersioningModuleOptions) => resolveVersioningOptions(options),
    },
    {
      provide: VersionChain,
      inject: [VERSIONING_MODULE_OPTIONS, VERSIONING_RESOLVED_OPTIONS],
      useFactory: (options: VersioningModuleOptions, resolved: ResolvedVersioningOptions) =>
        new VersionChain(resolved.versions, options.changes ?? []),
    },
    VersionUsage,
    VersioningHttp,
    VersionDocuments,
    {
      provide: RouterVersioning,
      inject: [ApplicationConfig, VERSIONING_RESOLVED_OPTIONS, VersioningHttp],
      useFactory: (config: ApplicationConfig, options: ResolvedVersioningOptions, http: VersioningHttp) =>
        new RouterVersioning(config, options, http),
    },
    DeprecationGuard,
    { provide: APP_GUARD, useExisting: DeprecationGuard },
  ],
  exports: [VersionChain, VersionUsage, VERSIONING_RESOLVED_OPTIONS],
})
export class VersioningModule extends VersioningConfigurableModule {}
