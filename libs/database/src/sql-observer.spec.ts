import { describe, expect, it, vi } from 'vitest';
import { SqlObserver, type SqlListener, type SqlStatementEvent } from './sql-observer.js';

const event: SqlStatementEvent = { sql: 'SELECT 1', paramCount: 0, durationMs: 0.2, rowCount: 1 };

describe('SqlObserver', () => {
  it('is observed only while a listener is subscribed', () => {
    const observer = new SqlObserver();
    expect(observer.observed).toBe(false);
    const off = observer.subscribe(() => undefined);
    expect(observer.observed).toBe(true);
    off();
    expect(observer.observed).toBe(false);
  });

  it('hands each event to every listener until it unsubscribes', () => {
    const observer = new SqlObserver();
    const first = vi.fn<SqlListener>();
    const second = vi.fn<SqlListener>();
    const offFirst = observer.subscribe(first);
    observer.subscribe(second);
    observer.publish(event);
    offFirst();
    observer.publish(event);
    expect(first).toHaveBeenCalledTimes(1);
    expect(second).toHaveBeenCalledTimes(2);
    expect(second).toHaveBeenCalledWith(event);
  });

  it('keeps delivering to other listeners when one throws', () => {
    const observer = new SqlObserver();
    const after = vi.fn<SqlListener>();
    observer.subscribe(() => {
      throw new Error('listener bug');
    });
    observer.subscribe(after);
    expect(() => observer.publish(event)).not.toThrow();
    expect(after).toHaveBeenCalledWith(event);
  });
});
