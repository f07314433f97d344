import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { ObjectLiteral } from 'typeorm';
import { SHAPE_METADATA } from '../data.constants.js';
import type { Shape as ShapeDefinition } from '../shape/define-shape.js';
import { ShapePipe, type ShapeParamInput } from './shape.pipe.js';

const ShapeParam = createParamDecorator((shape: ShapeDefinition, ctx: ExecutionContext): ShapeParamInput => ({
  shape,
  query: (ctx.switchToHttp().getRequest<FastifyRequest>().query ?? {}) as Record<string, unknown>,
}));

/**
 * Injects the request's list query parsed and validated against a shape (`ShapedQuery`); bad
 * input is a 400 problem naming each parameter and what is allowed. It also documents every
 * allowed parameter in OpenAPI. A returned `ShapedList` is rendered (by `ShapedListRenderer`) as a
 * JSON page with `Link` and `X-Total-Count` headers, or as streamed CSV for `format=csv` /
 * `Accept: text/csv`.
 *
 * @example
 * @Get()
 * list(@Shape(PostShape) query: ShapedQuery) {
 *   return this.lists.list(this.posts.createQueryBuilder('post'), query);
 * }
 */
export function Shape<T extends ObjectLiteral>(shape: ShapeDefinition<T>): ParameterDecorator {
  const param = ShapeParam(shape, ShapePipe);
  return (target, key, index) => {
    param(target, key, index);
    if (key === undefined) return;
    const descriptor = Object.getOwnPropertyDescriptor(target, key)!;
    SetMetadata(SHAPE_METADATA, shape)(target, key, descriptor);
  };
}
