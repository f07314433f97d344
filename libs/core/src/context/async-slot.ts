import { AsyncLocalStorage } from 'node:async_hooks';

/** One value bound by {@link AsyncSlot.run}, and the frame it was bound inside. */
class Frame {
  constructor(
    readonly slot: AsyncSlot<unknown>,
    readonly value: unknown,
    readonly parent: Frame | undefined,
  ) {}
}

/**
 * The one AsyncLocalStorage of the framework. On Node 20 every enabled AsyncLocalStorage adds work to
 * every promise and async resource the process creates (its own property on each, set by its own
 * hook callback): three of them cost the demo's shaped list about 4 % of its CPU per request over
 * one. So the request context, the ambient transaction and the database session scope are slots
 * on this one storage instead of storages of their own.
 */
const frames = new AsyncLocalStorage<Frame>();

/**
 * A value scoped to an async call tree, with the semantics of an AsyncLocalStorage of its own:
 * `run(value, fn)` makes `value` what `get()` answers in `fn` and everything it calls, across
 * awaits, timers and events, and each slot's value is independent of the others' (running one
 * slot keeps the values the other slots have there). All slots share one AsyncLocalStorage.
 *
 * @example
 * const transaction = new AsyncSlot<Tx>('transaction');
 * await transaction.run(tx, () => work()); // inside work(): transaction.get() === tx
 */
export class AsyncSlot<T> {
  /** `name` only describes the slot (for debugging). */
  constructor(readonly name: string) {}

  /** This slot's value in the current call tree; `undefined` outside any `run()` of it. */
  get(): T | undefined {
    for (let frame = frames.getStore(); frame !== undefined; frame = frame.parent) {
      if (frame.slot === this) return frame.value as T;
    }
    return undefined;
  }

  /** Runs `fn` with `value` as this slot's value; returns what `fn` returns. */
  run<R>(value: T, fn: () => R): R {
    const parent = frames.getStore();
    // A frame of this slot directly above needs no keeping: its value is shadowed for good.
    const outer = parent !== undefined && parent.slot === this ? parent.parent : parent;
    return frames.run(new Frame(this as AsyncSlot<unknown>, value, outer), fn);
  }
}
