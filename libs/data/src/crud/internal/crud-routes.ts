import { Body, Delete, Get, HttpCode, Param, Patch, Post, type Type } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { ObjectLiteral } from 'typeorm';
import { Shape } from '../../http/shape.decorator.js';
import { CrudHttpParam, CrudIdPipe } from '../crud-http.js';
import type { CrudOperation, ResolvedCrudOptions } from '../crud-options.interface.js';

type Options = ResolvedCrudOptions<ObjectLiteral, object, object>;

interface Route {
  method: MethodDecorator[];
  /** Parameter decorators, by position. */
  params: ParameterDecorator[];
  /** `design:paramtypes`: what the global validation pipe and OpenAPI read (generic types erase). */
  types: unknown[];
}

const IF_NONE_MATCH = ApiHeader({
  name: 'If-None-Match',
  required: false,
  description: 'An ETag of this item: 304 without a body when it is still current',
});
const IF_MATCH = ApiHeader({
  name: 'If-Match',
  required: false,
  description: 'The ETag read before (`"<version>"`, or `*`): 412 when the item has changed since',
});
const STALE = ApiResponse({ status: 412, description: 'If-Match does not match the current version' });
/** `meta` of a list page (DEMO.md "Query syntax for shaped lists"). */
const PAGE_META = {
  type: 'object',
  required: ['limit', 'nextCursor', 'prevCursor'],
  properties: {
    limit: { type: 'integer' },
    nextCursor: { type: 'string', nullable: true, description: 'Pass as `after=` for the next page' },
    prevCursor: { type: 'string', nullable: true, description: 'Pass as `before=` for the previous page' },
    total: { type: 'integer', description: 'With `count=true`' },
    page: { type: 'integer', description: 'With `page=` (offset pages)' },
  },
};

/** A response of `view` when the resource declares one, else of `type: object` described in words. */
function itemResponse(o: Options, description: string): { description: string; type?: Type } {
  return o.view ? { description, type: o.view as Type } : { description };
}

function listSchema(o: Options): Record<string, unknown> | undefined {
  if (!o.listItem) return undefined;
  return {
    type: 'object',
    required: ['data', 'meta'],
    properties: { data: { type: 'array', items: { $ref: getSchemaPath(o.listItem) } }, meta: PAGE_META },
  };
}

function bulkResultSchema(o: Options): Record<string, unknown> | undefined {
  if (!o.view) return undefined;
  const items = { type: 'array', items: { $ref: getSchemaPath(o.view) } };
  return {
    type: 'object',
    required: ['created', 'updated', 'deleted'],
    properties: {
      created: items,
      updated: items,
      deleted: { type: 'array', items: { type: 'string', format: 'uuid' } },
    },
  };
}

const id = () => Param('id', CrudIdPipe);
const http = () => CrudHttpParam();

function bulkSchema(o: Options): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  if (o.enabled.has('create'))
    properties.create = { type: 'array', items: { $ref: getSchemaPath(o.create!) } };
  if (o.enabled.has('update'))
    properties.update = {
      type: 'array',
      items: {
        allOf: [
          { $ref: getSchemaPath(o.update!) },
          { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } },
        ],
      },
    };
  if (o.enabled.has('delete'))
    properties.delete = { type: 'array', items: { type: 'string', format: 'uuid' } };
  return {
    type: 'object',
    additionalProperties: false,
    properties,
    description: `At most ${o.maxItems} items in all; applied in one transaction, all or nothing`,
  };
}

function routes(o: Options): Record<CrudOperation, Route> {
  return {
    list: {
      method: [
        Get(),
        ...(o.listItem ? [ApiExtraModels(o.listItem as Type)] : []),
        ApiOkResponse({
          description: `\`{ data: ${o.name}[], meta: { limit, nextCursor, prevCursor, total?, page? } }\` with an RFC 8288 \`Link\` header; CSV with \`format=csv\` or \`Accept: text/csv\``,
          ...(o.listItem ? { schema: listSchema(o) } : {}),
        }),
      ],
      params: [Shape(o.shape)],
      types: [Object],
    },
    get: {
      method: [
        Get(':id'),
        IF_NONE_MATCH,
        ApiOkResponse(itemResponse(o, `The ${o.name}, with a strong \`ETag\` (\`"<version>"\`)`)),
        ApiResponse({ status: 304, description: 'If-None-Match matches the current version' }),
      ],
      params: [id(), http()],
      types: [String, Object],
    },
    create: {
      method: [
        Post(),
        HttpCode(201),
        ApiBody({ type: o.create as Type }),
        ApiCreatedResponse(
          itemResponse(o, `The created ${o.name}; \`Location\` points at it, \`ETag\` is its version`),
        ),
      ],
      params: [Body(), http()],
      types: [o.create, Object],
    },
    update: {
      method: [
        Patch(':id'),
        IF_MATCH,
        ApiBody({ type: o.update as Type }),
        ApiOkResponse(itemResponse(o, `The updated ${o.name}, with its new \`ETag\``)),
        STALE,
      ],
      params: [id(), Body(), http()],
      types: [String, o.update, Object],
    },
    delete: {
      method: [
        Delete(':id'),
        HttpCode(204),
        IF_MATCH,
        ApiNoContentResponse({ description: 'Deleted' }),
        STALE,
      ],
      params: [id(), http()],
      types: [String, Object],
    },
    bulk: {
      method: [
        Post('bulk'),
        HttpCode(200),
        ApiExtraModels(...([o.create, o.update, o.view].filter(Boolean) as Type[])),
        ApiBody({ schema: bulkSchema(o) }),
        ApiOkResponse({
          description: `\`{ created: ${o.name}[], updated: ${o.name}[], deleted: id[] }\`; any failing item → 400 with \`errors[].index\` and \`op\`, nothing written`,
          ...(o.view ? { schema: bulkResultSchema(o) } : {}),
        }),
      ],
      params: [Body()],
      types: [Object],
    },
  };
}

/**
 * Puts the route, parameter and OpenAPI metadata of every enabled operation on the handlers of a
 * class `CrudController()` generated. A disabled operation keeps its method but gets no route.
 */
export function decorateCrudRoutes(target: abstract new (...args: never[]) => unknown, o: Options): void {
  const proto = target.prototype as object;
  for (const [name, route] of Object.entries(routes(o)) as [CrudOperation, Route][]) {
    if (!o.enabled.has(name)) continue;
    Reflect.defineMetadata('design:paramtypes', route.types, proto, name);
    route.params.forEach((decorate, index) => decorate(proto, name, index));
    const descriptor = Object.getOwnPropertyDescriptor(proto, name)!;
    for (const decorate of [...route.method, ...(o.decorators[name] ?? [])])
      decorate(proto, name, descriptor);
  }
}
