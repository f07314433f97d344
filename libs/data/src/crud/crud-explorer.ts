import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { DataSource, type EntityMetadata, type ObjectLiteral } from 'typeorm';
import type { ResolvedCrudOptions } from './crud-options.interface.js';
import { CrudError, CrudErrorCode } from './crud.errors.js';
import { crudClassOf, crudOptionsOf, inheritRoutes } from './internal/crud-class.js';

function invalid(message: string): CrudError {
  return new CrudError(CrudErrorCode.InvalidResource, message);
}

function checkRelations(metadata: EntityMetadata, relations: readonly string[], name: string): void {
  for (const path of relations) {
    let current: EntityMetadata | undefined = metadata;
    for (const segment of path.split('.')) {
      const relation: EntityMetadata['relations'][number] | undefined =
        current?.findRelationWithPropertyPath(segment);
      if (!relation)
        throw invalid(
          `${name}: relations names "${path}", but ${current?.name ?? '?'} has no relation "${segment}" (relations: ${current?.relations.map((r) => r.propertyName).join(', ') || 'none'}).`,
        );
      current = relation.inverseEntityMetadata;
    }
  }
}

/**
 * Gives handler overrides of every `CrudController()` resource their routes (see `inheritRoutes`),
 * checks every resource against the TypeORM metadata at boot (a registered entity,
 * one UUID primary key, a version column, real relations) and documents the list parameters of
 * resources whose `list` handler is inherited.
 */
@Injectable()
export class CrudExplorer implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly dataSource: DataSource,
  ) {
    // Providers are built before Nest registers routes; a request-scoped controller is not (its
    // constructor first runs on a request), so its overrides get their routes here.
    for (const wrapper of discovery.getControllers())
      if (crudClassOf(wrapper.metatype)) inheritRoutes(wrapper.metatype as object);
  }

  onModuleInit(): void {
    for (const wrapper of this.discovery.getControllers()) {
      if (!crudClassOf(wrapper.metatype)) continue;
      const options = crudOptionsOf<ObjectLiteral, object, object>(wrapper.metatype);
      this.check(options);
    }
  }

  private check(options: ResolvedCrudOptions<ObjectLiteral, object, object>): void {
    const { entity, name } = options;
    if (!this.dataSource.hasMetadata(entity))
      throw invalid(
        `${name} is not an entity of the data source: list it in DatabaseModule's entities (or use autoLoadEntities with TypeOrmModule.forFeature([${name}])).`,
      );
    const metadata = this.dataSource.getMetadata(entity);
    const [primary, ...more] = metadata.primaryColumns;
    if (!primary || more.length || primary.type !== 'uuid')
      throw invalid(`${name}: a CRUD resource needs exactly one UUID primary key (extend KwikBaseEntity).`);
    if (!metadata.versionColumn)
      throw invalid(
        `${name}: a CRUD resource needs a @VersionColumn() for ETags and If-Match (extend KwikBaseEntity).`,
      );
    checkRelations(metadata, options.relations, name);
  }
}
