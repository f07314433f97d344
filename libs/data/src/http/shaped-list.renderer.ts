import { Readable } from 'node:stream';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { stringify } from 'csv-stringify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { pageLinks } from '../page/link-header.js';
import { ShapedList } from '../page/shaped-list.js';
import { ShapeRuntime } from '../shape-runtime.js';

type Done = (error: Error | null, payload?: unknown) => void;

/** Whether the client asked for CSV: `format=csv`, or `Accept: text/csv` without `format`. */
export function wantsCsv(list: ShapedList, accept: string | undefined): boolean {
  if (list.query.params.format !== undefined) return list.query.format === 'csv';
  return /(^|,)\s*text\/csv\b/i.test(accept ?? '') && !/(^|,)\s*application\/(json|\*)/i.test(accept ?? '');
}

/**
 * Renders a `ShapedList` a handler returns, in two Fastify hooks (no Nest interceptor, so no RxJS
 * pipeline per request): `preSerialization` runs the page and sets `Link` / `X-Total-Count`, or for
 * CSV sets the CSV headers and parks a stream that `onSend` then sends instead of the JSON body.
 * Any other payload passes straight through (one `instanceof` check).
 */
@Injectable()
export class ShapedListRenderer implements OnModuleInit {
  private readonly logger = new Logger('ShapedList');
  private readonly streams = new WeakMap<FastifyReply, Readable>();

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly runtime: ShapeRuntime,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance?.() as FastifyInstance | undefined;
    if (typeof fastify?.addHook !== 'function') return; // no HTTP server (a standalone context)
    fastify.addHook(
      'preSerialization',
      (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: Done) => {
        if (!(payload instanceof ShapedList)) return done(null, payload);
        if (wantsCsv(payload, request.headers.accept)) return done(null, this.parkCsv(payload, reply));
        payload.page().then((page) => {
          reply.header('link', pageLinks(request.url.split('?')[0]!, payload.query.params, page.meta));
          if (page.meta.total !== undefined) reply.header('x-total-count', String(page.meta.total));
          reply.serializer(this.runtime.pageSerializer(payload.query.shape, payload.query.fields));
          done(null, page);
        }, done);
      },
    );
    fastify.addHook(
      'onSend',
      (_request: FastifyRequest, reply: FastifyReply, payload: unknown, done: Done) => {
        const stream = this.streams.get(reply);
        if (stream === undefined) return done(null, payload);
        this.streams.delete(reply);
        done(null, stream);
      },
    );
  }

  /** Sets the CSV headers and keeps the CSV stream for `onSend`; the JSON body becomes empty. */
  private parkCsv(list: ShapedList, reply: FastifyReply): string {
    const csv = stringify({
      header: true,
      columns: list.query.fields.map((f) => f.path),
      cast: {
        date: (d) => d.toISOString(),
        boolean: (b) => String(b),
        object: (v) => (Array.isArray(v) ? v.join(' ') : JSON.stringify(v)),
      },
    });
    const rows = Readable.from(list.rows(this.runtime.csvMaxRows));
    rows.on('error', (error) => {
      this.logger.error(
        `CSV export of ${list.query.shape.name} failed after the headers were sent: ${String(error)}`,
      );
      csv.destroy(error);
    });
    rows.pipe(csv);
    this.streams.set(reply, csv);
    const filename = list.query.shape.name.replace(/[^\w.-]/g, '_');
    reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${filename}.csv"`)
      .header('cache-control', 'no-store');
    return '';
  }
}
