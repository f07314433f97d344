import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { CrudExplorer } from './crud/crud-explorer.js';
import { CrudHooks } from './crud/crud-hooks.service.js';
import { DataConfigurableModule } from './data.module-definition.js';
import { ShapePipe } from './http/shape.pipe.js';
import { ShapedListRenderer } from './http/shaped-list.renderer.js';
import { ShapeRuntime } from './shape-runtime.js';
import { ShapedLists } from './shaped-lists.service.js';

/**
 * Declarative data shaping for TypeORM lists: `@Shape()` parses filter / sort / fields / cursor /
 * search parameters against a `defineShape()` declaration, `ShapedLists` runs them as SQL.
 * Needs a TypeORM `DataSource` (`DatabaseModule`).
 *
 * @example
 * @Module({ imports: [KwikModule.forRoot(), DatabaseModule.forRoot({ ... }), DataModule.forRoot()] })
 * export class AppModule {}
 */
@Module({
  imports: [DiscoveryModule],
  providers: [ShapeRuntime, ShapedLists, ShapePipe, ShapedListRenderer, CrudHooks, CrudExplorer],
  exports: [ShapeRuntime, ShapedLists, ShapePipe, CrudHooks],
})
export class DataModule extends DataConfigurableModule {}
