import type { DestinationStream, Logger as PinoInstance } from 'pino';

const PLAIN = /^[\w.:/@{}*-]*$/;

/** A JSON string literal; strings of plain characters need no escaping. */
function quote(value: string): string {
  return PLAIN.test(value) ? `"${value}"` : JSON.stringify(value);
}

/**
 * `new Date(ms).toISOString()` for times from 1970 to 9999: the `YYYY-MM-DDTHH:MM:` part is made by
 * `toISOString()` once per minute (kept in `minute`), seconds and milliseconds by hand — about 10x
 * cheaper than a Date per line. Other times go through `toISOString()`.
 */
export function isoTime(ms: number, minute: { start: number; prefix: string }): string {
  if (!(ms >= 0 && ms < 253402300800000)) return new Date(ms).toISOString();
  const inMinute = ms % 60_000;
  const start = ms - inMinute;
  if (start !== minute.start) {
    minute.start = start;
    minute.prefix = new Date(start).toISOString().slice(0, 17);
  }
  const seconds = Math.floor(inMinute / 1000);
  const millis = inMinute % 1000;
  return `${minute.prefix}${seconds < 10 ? '0' : ''}${seconds}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
}

/** The fields of the completion line, in the order they are written. */
export interface CompletionFields {
  requestId: string;
  userId?: string;
  tenantId?: string;
  ip?: string;
  apiVersion?: string;
  method: string;
  route: string | null;
  status: number;
  durationMs: number;
}

/**
 * Writes the per-request completion line straight to the log destination, in exactly the shape
 * pino writes (`level`, `time`, the base fields, the fields, `msg`). It exists for speed: the
 * line is written once per request, holds nothing to redact, and skipping pino's generic
 * serializer for it made `/health/live` about 1.8x faster in `npm run bench`.
 */
export class RequestLogWriter {
  private readonly basePrefix: string;
  private lastMs = 0;
  private lastIso = '';
  private readonly minute = { start: Number.NaN, prefix: '' };

  constructor(
    private readonly root: PinoInstance,
    private readonly destination: DestinationStream,
    base: Record<string, unknown>,
  ) {
    const json = JSON.stringify(base);
    this.basePrefix = json === '{}' ? '' : `${json.slice(1, -1)},`;
  }

  write(level: 'info' | 'warn' | 'error', f: CompletionFields): void {
    if (!this.root.isLevelEnabled(level)) return;
    // Built by hand; strings of plain characters (ids, ips, methods, routes) skip JSON.stringify.
    let line = `{"level":"${level}","time":"${this.isoNow()}",${this.basePrefix}"requestId":${quote(f.requestId)}`;
    if (f.userId !== undefined) line += `,"userId":${quote(f.userId)}`;
    if (f.tenantId !== undefined) line += `,"tenantId":${quote(f.tenantId)}`;
    if (f.ip !== undefined) line += `,"ip":${quote(f.ip)}`;
    if (f.apiVersion !== undefined) line += `,"apiVersion":${quote(f.apiVersion)}`;
    line += `,"method":${quote(f.method)},"route":${f.route === null ? 'null' : quote(f.route)},"status":${f.status}`;
    this.destination.write(`${line},"durationMs":${f.durationMs},"msg":"request completed"}\n`);
  }

  /** The ISO time of now, formatted once per millisecond however many lines share it. */
  private isoNow(): string {
    const now = Date.now();
    if (now !== this.lastMs) {
      this.lastMs = now;
      this.lastIso = isoTime(now, this.minute);
    }
    return this.lastIso;
  }
}
