import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, Optional, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { ApiQuery } from '@nestjs/swagger';
import { KwikConfig } from '@kwik/core';
import { DataSource, type ObjectLiteral } from 'typeorm';
import type { DataModuleOptions } from './data-options.interface.js';
import { DATA_MODULE_OPTIONS, SHAPE_DOCUMENTED, SHAPE_METADATA } from './data.constants.js';
import { DataError, DataErrorCode } from './data.errors.js';
import { CursorCodec } from './query/cursor.codec.js';
import { PageSqlCache } from './sql/page-query.runner.js';
import { compilePageSerializer } from './page/page-serializer.js';
import type { ShapedPage } from './page/shaped-list.js';
import type { ResolvedField } from './shape/resolved-shape.js';
import { parseShapedQuery } from './query/parse-shaped-query.js';
import type { ShapedQuery } from './query/shaped-query.js';
import type { Shape } from './shape/define-shape.js';
import type { ResolvedShape } from './shape/resolved-shape.js';
import { resolveShape } from './shape/resolve-shape.js';
import { shapeQueryParameters } from './shape/shape-openapi.js';

const MIN_SECRET = 32;

/**
 * Holds what shaped lists need at request time: every shape checked against the entity metadata
 * (at boot, for each handler that uses `@Shape()`), the cursor codec, and the options.
 */
@Injectable()
export class ShapeRuntime implements OnModuleInit {
  private readonly resolved = new Map<Shape, ResolvedShape>();
  readonly codec: CursorCodec;
  /** SQL text of shaped page queries, built once per query shape. */
  readonly pageSql = new PageSqlCache();
  private readonly serializers = new Map<string, (page: ShapedPage) => string>();
  readonly csvMaxRows: number;

  constructor(
    @Inject(DATA_MODULE_OPTIONS) options: DataModuleOptions,
    private readonly dataSource: DataSource,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    @Optional() config?: KwikConfig,
  ) {
    this.codec = new CursorCodec(secretOf(options, config));
    this.csvMaxRows = options.csvMaxRows ?? 1_000_000;
    if (!Number.isInteger(this.csvMaxRows) || this.csvMaxRows < 1)
      throw new DataError(
        DataErrorCode.InvalidOptions,
        `DataModule option csvMaxRows must be a whole number of at least 1 (got ${String(options.csvMaxRows)}).`,
      );
  }

  /** Checks every shape used by a controller, and documents its query parameters in OpenAPI. */
  onModuleInit(): void {
    for (const wrapper of this.discovery.getControllers()) {
      const proto = (wrapper.metatype as { prototype?: object } | undefined)?.prototype;
      if (!proto) continue;
      for (const name of this.scanner.getAllMethodNames(proto)) {
        const method = (proto as Record<string, unknown>)[name] as object;
        const shape = Reflect.getMetadata(SHAPE_METADATA, method) as Shape | undefined;
        if (!shape) continue;
        const resolved = this.resolve(shape);
        if (Reflect.getMetadata(SHAPE_DOCUMENTED, method)) continue;
        // `{ value }` rather than the own property descriptor: an inherited handler (a CRUD
        // controller's `list`) has none on the subclass, and ApiQuery only needs the function.
        for (const param of shapeQueryParameters(resolved)) ApiQuery(param)(proto, name, { value: method });
        Reflect.defineMetadata(SHAPE_DOCUMENTED, true, method);
      }
    }
  }

  /** The checked form of a shape (checked once, then cached). */
  resolve<T extends ObjectLiteral>(shape: Shape<T>): ResolvedShape {
    let resolved = this.resolved.get(shape as Shape);
    if (!resolved) {
      resolved = resolveShape(shape, this.dataSource);
      this.resolved.set(shape as Shape, resolved);
    }
    return resolved;
  }

  /** The compiled JSON serializer of pages with these fields (compiled once per selection). */
  pageSerializer(shape: ResolvedShape, fields: readonly ResolvedField[]): (page: ShapedPage) => string {
    const key = `${shape.name}\n${fields.map((f) => f.path).join(',')}`;
    let serializer = this.serializers.get(key);
    if (!serializer) {
      if (this.serializers.size >= 1000) this.serializers.delete(this.serializers.keys().next().value!);
      serializer = compilePageSerializer(fields);
      this.serializers.set(key, serializer);
    }
    return serializer;
  }

  /** Parses a request's query parameters against a shape; a 400 problem when they do not fit. */
  parse<T extends ObjectLiteral>(shape: Shape<T>, query: Readonly<Record<string, unknown>>): ShapedQuery {
    return parseShapedQuery(this.resolve(shape), query ?? {}, this.codec);
  }
}

function secretOf(options: DataModuleOptions, config: KwikConfig | undefined): string {
  const secret = options.secret ?? config?.APP_SECRET;
  if (secret !== undefined) {
    if (secret.length < MIN_SECRET)
      throw new DataError(
        DataErrorCode.InvalidOptions,
        `The DataModule cursor secret must be at least ${MIN_SECRET} characters (got ${secret.length}); set APP_SECRET to a long random value (openssl rand -base64 32).`,
      );
    return secret;
  }
  const production = (config?.NODE_ENV ?? process.env.NODE_ENV) === 'production';
  if (production)
    throw new DataError(
      DataErrorCode.InvalidOptions,
      'In production the data library needs a secret to sign list cursors: set APP_SECRET (at least 32 characters, e.g. `openssl rand -base64 32`) or pass DataModule.forRoot({ secret }).',
    );
  new Logger('DataModule').warn(
    'APP_SECRET is unset: list cursors are signed with a random per-process secret and do not survive a restart (set APP_SECRET to keep them).',
  );
  return randomBytes(32).toString('base64url');
}
