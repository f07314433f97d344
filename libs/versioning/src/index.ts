export { VersioningModule } from './versioning.module.js';
export type {
  DeprecationInfo,
  VersioningModuleOptions,
  VersioningType,
} from './versioning-options.interface.js';
export { VERSIONING_MODULE_OPTIONS, VERSIONING_RESOLVED_OPTIONS } from './versioning.constants.js';
export { VersioningError, VersioningErrorCode, VersioningProblemKind } from './versioning.errors.js';
export {
  resolveVersioningOptions,
  type ResolvedVersioningOptions,
  type ResolvedDeprecation,
} from './resolve-options.js';

export { VersionChange, mapResources, resourcesOf, type ChangeContext } from './changes/version-change.js';
export { VersionChain, VersionFieldError, matchesRoute, type QueryParams } from './changes/version-chain.js';
export {
  added,
  changed,
  removed,
  renamed,
  applyFieldInstructions,
  type FieldInstruction,
  type JsonObject,
} from './changes/field-instructions.js';

export {
  versionReader,
  type ReadVersion,
  type RefusedVersion,
  type VersionReading,
  type VersionReaderOptions,
  type VersionedRequestLike,
} from './negotiation/version-reader.js';

export { Deprecated } from './deprecation/deprecated.decorator.js';
export { VersionUsage, type VersionUsageSnapshot } from './deprecation/version-usage.js';
export { DeprecationGuard } from './deprecation/deprecation.guard.js';
export { VersioningHttp, mergeVary } from './http/versioning-http.service.js';
export { VersionDocuments, servesVersion } from './openapi/version-documents.js';
