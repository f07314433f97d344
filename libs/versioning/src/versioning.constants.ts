/** Injection token of the options given to `VersioningModule.forRoot()`. */
export const VERSIONING_MODULE_OPTIONS = Symbol('kwik:versioning:options');
/** Injection token of the validated, defaulted options. */
export const VERSIONING_RESOLVED_OPTIONS = Symbol('kwik:versioning:resolved');
/** Metadata key of `@Deprecated()`. */
export const DEPRECATED_METADATA = 'kwik:versioning:deprecated';
