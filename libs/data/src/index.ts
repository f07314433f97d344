export { DataModule } from './data.module.js';
export { DATA_MODULE_OPTIONS } from './data.constants.js';
export type { DataModuleExtras } from './data.module-definition.js';
export type { DataModuleOptions } from './data-options.interface.js';
export { DataError, DataErrorCode, type DataErrorCodeValue } from './data.errors.js';

export { defineShape, Shape as ShapeDefinition } from './shape/define-shape.js';
export {
  FILTER_OPERATORS,
  type EntityClass,
  type FilterOperator,
  type FilterPreset,
  type SearchDeclaration,
  type ShapeDeclaration,
  type ShapePath,
} from './shape/shape.types.js';
export type { ResolvedField, ResolvedShape, SortKey, ValueKind } from './shape/resolved-shape.js';
export { shapeQueryParameters } from './shape/shape-openapi.js';

export type { FilterClause, ShapedQuery } from './query/shaped-query.js';
export { CursorCodec } from './query/cursor.codec.js';
export { parseShapedQuery } from './query/parse-shaped-query.js';

export { ShapedSql } from './sql/shaped-sql.js';
export { ShapedList, type ShapedPage } from './page/shaped-list.js';
export { pageLinks } from './page/link-header.js';

export { ShapeRuntime } from './shape-runtime.js';
export { ShapedLists } from './shaped-lists.service.js';
export { Shape } from './http/shape.decorator.js';
export { ShapePipe } from './http/shape.pipe.js';
export { ShapedListRenderer, wantsCsv } from './http/shaped-list.renderer.js';

// CRUD resources
export { CrudController, type CrudControllerClass } from './crud/crud-controller.js';
export { CrudResourceBase } from './crud/crud-resource.base.js';
export {
  CRUD_OPERATIONS,
  type CrudAction,
  type CrudBulkOptions,
  type CrudOperation,
  type CrudOptions,
  type ResolvedCrudOptions,
} from './crud/crud-options.interface.js';
export {
  CrudHooks,
  type CrudHook,
  type CrudHookContext,
  type CrudResourceRef,
} from './crud/crud-hooks.service.js';
export { CrudIdPipe, type CrudHttp } from './crud/crud-http.js';
export {
  ifMatchHolds,
  ifNoneMatchMatches,
  parseEntityTags,
  versionEtag,
  type EntityTagCondition,
} from './crud/etag.js';
export { CrudError, CrudErrorCode, type CrudErrorCodeValue } from './crud/crud.errors.js';
export type { BulkItemError, BulkOp, CrudBulkResult } from './bulk/bulk.types.js';
