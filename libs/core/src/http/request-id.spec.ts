import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { requestIdGenerator } from './request-id.js';

const gen = requestIdGenerator('X-Request-Id');
const req = (value?: string | string[]) =>
  ({ headers: { 'x-request-id': value } }) as unknown as IncomingMessage;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('requestIdGenerator', () => {
  it.each(['abc', 'trace-1.2:3_x', 'a'.repeat(128)])('keeps the sane id %s', (id) => {
    expect(gen(req(id))).toBe(id);
  });
  it.each([[undefined], [''], ['a'.repeat(129)], ['has space'], ['new\nline'], [['a', 'b']], ['<script>']])(
    'generates a UUID for %j',
    (value) => {
      expect(gen(req(value as string))).toMatch(UUID);
    },
  );
});
