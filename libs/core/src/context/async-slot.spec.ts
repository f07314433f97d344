import { AsyncLocalStorage } from 'node:async_hooks';
import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { AsyncSlot } from './async-slot.js';

describe('AsyncSlot', () => {
  it('answers the value of the innermost run, across awaits, timers and events, and undefined outside', async () => {
    const slot = new AsyncSlot<string>('test');
    const events = new EventEmitter();
    expect(slot.get()).toBeUndefined();
    const seen = await slot.run('a', async () => {
      const out: (string | undefined)[] = [slot.get()];
      await sleep(1);
      out.push(slot.get());
      await new Promise<void>((resolve) => setTimeout(() => (out.push(slot.get()), resolve()), 1));
      out.push(await slot.run('b', async () => (await sleep(1), slot.get())));
      out.push(slot.get());
      const fromEvent = new Promise<string | undefined>((resolve) =>
        events.once('x', () => resolve(slot.get())),
      );
      setImmediate(() => events.emit('x'));
      out.push(await fromEvent);
      return out;
    });
    expect(seen).toEqual(['a', 'a', 'a', 'b', 'a', 'a']);
    expect(slot.get()).toBeUndefined();
  });

  it('keeps slots independent: running one keeps the values the others have there', async () => {
    const request = new AsyncSlot<string>('request');
    const tx = new AsyncSlot<number>('tx');
    const flag = new AsyncSlot<true>('flag');
    const inner = await request.run('r1', () =>
      tx.run(1, async () => {
        await sleep(1);
        const deep = await flag.run(true, async () => {
          await sleep(1);
          return [
            request.get(),
            tx.get(),
            flag.get(),
            await request.run('r2', async () => [request.get(), tx.get(), flag.get()]),
          ];
        });
        return [...deep, request.get(), tx.get(), flag.get()];
      }),
    );
    expect(inner).toEqual(['r1', 1, true, ['r2', 1, true], 'r1', 1, undefined]);
  });

  it('isolates concurrent call trees, as an AsyncLocalStorage does', async () => {
    const slot = new AsyncSlot<number>('n');
    const other = new AsyncSlot<string>('other');
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        other.run(`o${i % 3}`, () =>
          slot.run(i, async () => {
            await sleep(i % 5);
            const mid = slot.get();
            await Promise.resolve();
            return [mid, slot.get(), other.get()];
          }),
        ),
      ),
    );
    results.forEach((r, i) => expect(r).toEqual([i, i, `o${i % 3}`]));
  });

  it('reruns of one slot do not grow the frame chain (a value only the innermost run can answer)', () => {
    const a = new AsyncSlot<number>('a');
    const b = new AsyncSlot<number>('b');
    const depth = (n: number): number | undefined => (n === 0 ? a.get() : a.run(n, () => depth(n - 1)));
    expect(b.run(7, () => depth(500))).toBe(1);
    expect(b.run(7, () => a.run(1, () => a.run(2, () => [a.get(), b.get()])))).toEqual([2, 7]);
  });

  it('shares one AsyncLocalStorage: more slots add no storage of their own', () => {
    const created: unknown[] = [];
    const original = AsyncLocalStorage.prototype.run;
    AsyncLocalStorage.prototype.run = function (this: unknown, ...args: unknown[]) {
      if (!created.includes(this)) created.push(this);
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof original;
    try {
      const slots = Array.from({ length: 5 }, (_, i) => new AsyncSlot<number>(`s${i}`));
      const values = slots.reduceRight<() => number[]>(
        (next, slot, i) => () => slot.run(i, next),
        () => slots.map((s) => s.get()!),
      )();
      expect(values).toEqual([0, 1, 2, 3, 4]);
      expect(created).toHaveLength(1);
    } finally {
      AsyncLocalStorage.prototype.run = original;
    }
  });
});
