/** Injection token of the `DataModule` options. */
export const DATA_MODULE_OPTIONS = Symbol('kwik:data:options');
/** Metadata key: the shape a handler lists (set by `@Shape()`). */
export const SHAPE_METADATA = 'kwik:data:shape';
/** Metadata key: OpenAPI parameters already added to a handler (an app built twice in one process). */
export const SHAPE_DOCUMENTED = 'kwik:data:shape-documented';
