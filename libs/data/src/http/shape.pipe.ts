import { Injectable, type PipeTransform } from '@nestjs/common';
import type { ShapedQuery } from '../query/shaped-query.js';
import type { Shape } from '../shape/define-shape.js';
import { ShapeRuntime } from '../shape-runtime.js';

/** What the `@Shape()` parameter decorator hands its pipe. */
export interface ShapeParamInput {
  shape: Shape;
  query: Readonly<Record<string, unknown>>;
}

/** Parses the request's query against the shape `@Shape()` names (400 problem on bad input). */
@Injectable()
export class ShapePipe implements PipeTransform<ShapeParamInput, ShapedQuery> {
  constructor(private readonly runtime: ShapeRuntime) {}

  transform({ shape, query }: ShapeParamInput): ShapedQuery {
    return this.runtime.parse(shape, query);
  }
}
