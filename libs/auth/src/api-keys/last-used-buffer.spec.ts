import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LastUsedBuffer, type LastUsedBufferOptions } from './last-used-buffer.js';

const at = (minute: number): Date => new Date(Date.UTC(2030, 0, 1, 0, minute));

/** A flush target that records batches and can be told to fail. */
function target() {
  const batches: Map<string, Date>[] = [];
  let failuresLeft = 0;
  const flush = vi.fn<(entries: Map<string, Date>) => Promise<void>>(async (entries) => {
    if (failuresLeft > 0) {
      failuresLeft--;
      throw new Error('database is down');
    }
    batches.push(new Map(entries));
  });
  const logger = { error: vi.fn<(message: string) => void>(), warn: vi.fn<(message: string) => void>() };
  return { batches, flush, logger, failNext: (n: number) => (failuresLeft = n) };
}

describe('LastUsedBuffer', () => {
  let buffers: LastUsedBuffer[] = [];
  const make = (t: ReturnType<typeof target>, options: Partial<LastUsedBufferOptions> = {}) => {
    const buffer = new LastUsedBuffer({ flush: t.flush, logger: t.logger, ...options });
    buffers.push(buffer);
    return buffer;
  };

  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(async () => {
    await Promise.all(buffers.map((b) => b.close()));
    buffers = [];
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('only records in memory until the interval elapses, then writes one batch', async () => {
    const t = target();
    const buffer = make(t, { intervalMs: 60_000 });
    buffer.touch('a', at(1));
    buffer.touch('b', at(2));
    expect(t.flush).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(59_999);
    expect(t.flush).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(t.batches).toEqual([
      new Map([
        ['a', at(1)],
        ['b', at(2)],
      ]),
    ]);
    expect(buffer.size).toBe(0);
  });

  it('keeps the latest time per id, whatever the order of touches', async () => {
    const t = target();
    const buffer = make(t);
    buffer.touch('a', at(5));
    buffer.touch('a', at(3));
    buffer.touch('b', at(1));
    buffer.touch('b', at(9));
    await buffer.flushNow();
    expect(t.batches).toEqual([
      new Map([
        ['a', at(5)],
        ['b', at(9)],
      ]),
    ]);
  });

  it('does not call flush when nothing was touched', async () => {
    const t = target();
    make(t, { intervalMs: 1000 });
    await vi.advanceTimersByTimeAsync(5000);
    expect(t.flush).not.toHaveBeenCalled();
  });

  it('logs a failed flush and writes the kept entries, merged with newer ones, next time', async () => {
    const t = target();
    const buffer = make(t, { intervalMs: 1000 });
    buffer.touch('a', at(1));
    buffer.touch('b', at(5));
    t.failNext(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(t.logger.error).toHaveBeenCalledWith(expect.stringContaining('database is down'));
    expect(buffer.size).toBe(2);
    buffer.touch('a', at(2));
    buffer.touch('b', at(4));
    buffer.touch('c', at(3));
    await vi.advanceTimersByTimeAsync(1000);
    expect(t.batches).toEqual([
      new Map([
        ['a', at(2)],
        ['b', at(5)],
        ['c', at(3)],
      ]),
    ]);
  });

  it('reports through flushNow() whether the write succeeded', async () => {
    const t = target();
    const buffer = make(t);
    buffer.touch('a', at(1));
    t.failNext(1);
    expect(await buffer.flushNow()).toBe(false);
    expect(await buffer.flushNow()).toBe(true);
    expect(t.batches).toEqual([new Map([['a', at(1)]])]);
  });

  it('flushes early when it reaches maxEntries', async () => {
    const t = target();
    const buffer = make(t, { maxEntries: 3 });
    buffer.touch('a', at(1));
    buffer.touch('b', at(1));
    expect(t.flush).not.toHaveBeenCalled();
    buffer.touch('c', at(1));
    expect(buffer.size).toBe(0);
    await buffer.flushNow();
    expect(t.batches).toEqual([
      new Map([
        ['a', at(1)],
        ['b', at(1)],
        ['c', at(1)],
      ]),
    ]);
  });

  it('stays bounded while writes fail, dropping the least recently touched ids', async () => {
    const t = target();
    const buffer = make(t, { maxEntries: 3 });
    t.failNext(2);
    for (const id of ['a', 'b', 'c']) buffer.touch(id, at(1));
    await vi.advanceTimersByTimeAsync(0);
    buffer.touch('a', at(2));
    buffer.touch('d', at(2));
    await vi.advanceTimersByTimeAsync(0);
    expect(buffer.size).toBe(3);
    expect(t.logger.warn).toHaveBeenCalledWith(expect.stringContaining('dropped'));
    expect(await buffer.flushNow()).toBe(true);
    expect([...t.batches[0].keys()].sort()).toEqual(['a', 'c', 'd']);
  });

  it('writes entries touched during a running flush on the next one', async () => {
    let release!: () => void;
    const written: string[][] = [];
    const buffer = make(target(), {
      flush: async (entries) => {
        written.push([...entries.keys()]);
        if (written.length === 1) await new Promise<void>((resolve) => (release = resolve));
      },
    });
    buffer.touch('a', at(1));
    const first = buffer.flushNow();
    buffer.touch('b', at(1));
    const second = buffer.flushNow();
    release();
    await Promise.all([first, second]);
    expect(written).toEqual([['a'], ['b']]);
  });

  it('close() stops the timer and writes what is left; its timer never keeps the process alive', async () => {
    const t = target();
    const setInterval = vi.spyOn(globalThis, 'setInterval');
    const buffer = make(t, { intervalMs: 1000 });
    expect((setInterval.mock.results[0].value as NodeJS.Timeout).hasRef()).toBe(false);
    expect(vi.getTimerCount()).toBe(1);
    buffer.touch('a', at(1));
    await buffer.onApplicationShutdown();
    expect(t.batches).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it.each([
    ['intervalMs', { intervalMs: 0 }],
    ['maxEntries', { maxEntries: 1.5 }],
  ])('rejects a bad %s', (name, options) => {
    expect(() => new LastUsedBuffer({ flush: async () => undefined, ...options })).toThrow(
      expect.objectContaining({ code: 'KWIK_AUTH_INVALID_OPTIONS', message: expect.stringContaining(name) }),
    );
  });
});
