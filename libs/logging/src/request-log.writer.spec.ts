import { pino, stdTimeFunctions } from 'pino';
import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import { isoTime, RequestLogWriter } from './request-log.writer.js';

function capture() {
  const lines: string[] = [];
  return { lines, destination: { write: (s: string) => void lines.push(s) } };
}

describe('RequestLogWriter', () => {
  const fields = {
    requestId: 'r-1',
    userId: 'u-1',
    ip: '127.0.0.1',
    method: 'GET',
    route: '/api/posts/:id',
    status: 200,
    durationMs: 1.5,
  };

  it('writes the same keys, in the same order, as pino does for that line', () => {
    const mine = capture();
    const theirs = capture();
    const base = { pid: 42, service: 'demo' };
    const options = {
      base,
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label: string) => ({ level: label }) },
    };
    new RequestLogWriter(pino(options, mine.destination), mine.destination, base).write('info', fields);
    pino(options, theirs.destination).info(fields, 'request completed');
    const a = JSON.parse(mine.lines[0]!) as Record<string, unknown>;
    const b = JSON.parse(theirs.lines[0]!) as Record<string, unknown>;
    expect(Object.keys(a)).toEqual(Object.keys(b));
    expect({ ...a, time: 'T' }).toEqual({ ...b, time: 'T' });
    expect(mine.lines[0]!.endsWith('}\n')).toBe(true);
    expect(Number.isNaN(Date.parse(a.time as string))).toBe(false);
  });

  it.each([
    ['warn', 'info', 0],
    ['warn', 'warn', 1],
    ['info', 'error', 1],
    ['silent', 'error', 0],
  ] as const)('at level %s writes %s lines: %i', (level, lineLevel, count) => {
    const out = capture();
    new RequestLogWriter(pino({ level }, out.destination), out.destination, {}).write(lineLevel, fields);
    expect(out.lines).toHaveLength(count);
  });

  it('escapes strings that need it and keeps the line valid JSON', () => {
    const out = capture();
    const odd = { ...fields, userId: 'ü "quoted"\n', route: '/a/:id/"x"', tenantId: 'plain-1' };
    new RequestLogWriter(pino(out.destination), out.destination, {}).write('warn', odd);
    expect(JSON.parse(out.lines[0]!)).toMatchObject({
      userId: odd.userId,
      route: odd.route,
      tenantId: 'plain-1',
    });
  });

  it("writes the API version the request was served in, in pino's key order", () => {
    const mine = capture();
    const theirs = capture();
    const { requestId, userId, ip, method, route, status, durationMs } = fields;
    const versioned = {
      requestId,
      userId,
      tenantId: 't-1',
      ip,
      apiVersion: '2',
      method,
      route,
      status,
      durationMs,
    };
    new RequestLogWriter(pino(mine.destination), mine.destination, {}).write('info', versioned);
    pino({ base: {} }, theirs.destination).info(versioned, 'request completed');
    const a = JSON.parse(mine.lines[0]!) as Record<string, unknown>;
    const b = JSON.parse(theirs.lines[0]!) as Record<string, unknown>;
    expect(a.apiVersion).toBe('2');
    expect(Object.keys(a)).toEqual(Object.keys(b));
  });

  it('writes a null route for unmatched requests', () => {
    const out = capture();
    new RequestLogWriter(pino(out.destination), out.destination, {}).write('warn', {
      ...fields,
      route: null,
    });
    expect(JSON.parse(out.lines[0]!).route).toBeNull();
  });

  it('leaves out identity fields that are not known', () => {
    const out = capture();
    new RequestLogWriter(pino(out.destination), out.destination, {}).write('info', {
      ...fields,
      userId: undefined,
    });
    expect(JSON.parse(out.lines[0]!)).not.toHaveProperty('userId');
    expect(out.lines[0]!.startsWith('{"level":"info","time":"')).toBe(true);
  });
});

describe('isoTime', () => {
  it.each([0, 59_999, 60_000, 1_764_806_399_999, 1_764_806_400_000, 951_782_400_000, 253_402_300_799_999])(
    'writes %i as toISOString does',
    (ms) => expect(isoTime(ms, { start: Number.NaN, prefix: '' })).toBe(new Date(ms).toISOString()),
  );

  it('agrees with toISOString on any time, sharing one minute cache across calls in any order (property)', () => {
    const minute = { start: Number.NaN, prefix: '' };
    fc.assert(
      fc.property(
        fc.integer({ min: -62_198_755_200_000, max: 8_640_000_000_000_000 }),
        fc.integer({ min: 0, max: 120_000 }),
        (ms, step) => {
          const later = Math.min(ms + step, 8_640_000_000_000_000);
          expect(isoTime(ms, minute)).toBe(new Date(ms).toISOString());
          expect(isoTime(later, minute)).toBe(new Date(later).toISOString());
        },
      ),
      { numRuns: 3000 },
    );
  });
});
