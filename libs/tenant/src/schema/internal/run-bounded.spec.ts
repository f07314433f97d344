import { describe, expect, it } from 'vitest';
import { runBounded } from './run-bounded.js';

/** Work that stays in flight until released, so the test controls overlap without timers. */
function gate(): {
  work(item: number): Promise<void>;
  active: number;
  max: number;
  started: number[];
  release(): void;
} {
  const waiting: (() => void)[] = [];
  const state = {
    active: 0,
    max: 0,
    started: [] as number[],
    async work(item: number): Promise<void> {
      state.started.push(item);
      state.active += 1;
      state.max = Math.max(state.max, state.active);
      await new Promise<void>((resolve) => waiting.push(resolve));
      state.active -= 1;
    },
    release(): void {
      while (waiting.length > 0) waiting.shift()!();
    },
  };
  return state;
}

const nextTurn = (): Promise<'pending'> => new Promise((resolve) => setImmediate(() => resolve('pending')));

/** Releases whatever is in flight, turn after turn, until `run` resolves. */
async function drain(g: ReturnType<typeof gate>, run: Promise<void>): Promise<void> {
  const finished = run.then(() => 'done' as const);
  do g.release();
  while ((await Promise.race([finished, nextTurn()])) !== 'done');
}

describe('runBounded', () => {
  it.each([
    [10, 3, 3],
    [2, 8, 2],
    [5, 1, 1],
  ])('runs %i items at most %i at a time (peak %i), in order', async (n, limit, peak) => {
    const g = gate();
    const items = Array.from({ length: n }, (_, i) => i);
    await drain(
      g,
      runBounded(items, limit, (i) => g.work(i)),
    );
    expect(g.max).toBe(peak);
    expect(g.started).toEqual(items);
  });

  it('starts nothing new once stop() is true, and finishes what is in flight', async () => {
    const g = gate();
    let stop = false;
    const run = runBounded(
      [1, 2, 3, 4, 5],
      2,
      async (i) => {
        await g.work(i);
        if (i === 2) stop = true;
      },
      () => stop,
    );
    await drain(g, run);
    expect(g.started).toEqual([1, 2]);
  });

  it('resolves at once for no items', async () => {
    await expect(runBounded([], 4, async () => {})).resolves.toBeUndefined();
  });
});
