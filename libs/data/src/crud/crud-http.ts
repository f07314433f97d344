import { createParamDecorator, Injectable, type ExecutionContext, type PipeTransform } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProblemException } from '@kwik/core';

/** The request and reply of a CRUD route (headers in, `ETag` / `Location` / status out). */
export interface CrudHttp {
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

/** Parameter decorator handing a CRUD route its {@link CrudHttp}. */
export const CrudHttpParam = createParamDecorator((_data: unknown, ctx: ExecutionContext): CrudHttp => ({
  request: ctx.switchToHttp().getRequest<FastifyRequest>(),
  reply: ctx.switchToHttp().getResponse<FastifyReply>(),
}));

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks the `:id` of a CRUD route is a UUID; a 400 validation problem naming `id` otherwise. */
@Injectable()
export class CrudIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    if (typeof value === 'string' && UUID.test(value)) return value;
    throw ProblemException.validation([{ field: 'id', message: 'id must be a UUID' }]);
  }
}

/** Where a new item lives: the collection path of the request plus the id (`/api/posts/<id>`). */
export function itemLocation(url: string, id: string): string {
  return `${url.split('?')[0]!.replace(/\/+$/, '')}/${encodeURIComponent(id)}`;
}
