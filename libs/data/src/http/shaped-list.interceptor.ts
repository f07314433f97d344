import { Readable } from 'node:stream';
import {
  Injectable,
  Logger,
  StreamableFile,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { stringify } from 'csv-stringify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, mergeMap, type Observable } from 'rxjs';
import { pageLinks } from '../page/link-header.js';
import { ShapedList, type ShapedPage } from '../page/shaped-list.js';
import { ShapeRuntime } from '../shape-runtime.js';

function wantsCsv(list: ShapedList, request: FastifyRequest): boolean {
  if (list.query.params.format !== undefined) return list.query.format === 'csv';
  const accept = request.headers.accept ?? '';
  return /(^|,)\s*text\/csv\b/i.test(accept) && !/(^|,)\s*application\/(json|\*)/i.test(accept);
}

/**
 * Renders what a `@Shape()` handler returns: a `ShapedList` runs as a JSON page (with `Link` and,
 * when counted, `X-Total-Count`) or streams as CSV; a `ShapedPage` gets the headers; anything else
 * passes through untouched.
 */
@Injectable()
export class ShapedListInterceptor implements NestInterceptor {
  private readonly logger = new Logger('ShapedList');

  constructor(private readonly runtime: ShapeRuntime) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    return next.handle().pipe(mergeMap((result: unknown) => from(this.render(result, request, reply))));
  }

  private async render(result: unknown, request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    if (!(result instanceof ShapedList)) return result;
    if (wantsCsv(result, request)) return this.csv(result, reply);
    const page: ShapedPage = await result.page();
    const path = request.url.split('?')[0]!;
    reply.header('link', pageLinks(path, result.query.params, page.meta));
    if (page.meta.total !== undefined) reply.header('x-total-count', String(page.meta.total));
    return page;
  }

  private csv(list: ShapedList, reply: FastifyReply): StreamableFile {
    const columns = list.query.fields.map((f) => f.path);
    const csv = stringify({
      header: true,
      columns,
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
    reply.header('cache-control', 'no-store');
    return new StreamableFile(csv, {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="${list.query.shape.name.replace(/[^\w.-]/g, '_')}.csv"`,
    });
  }
}
