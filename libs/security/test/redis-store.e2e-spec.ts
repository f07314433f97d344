import { createServer, type Server, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisRateLimitStore } from '@kwik/security';
import { REDIS_URL, uniqueKeyPrefix } from './fixtures/boot.js';

describe('RedisRateLimitStore against a real Redis (the Lua sliding window)', () => {
  const prefix = uniqueKeyPrefix('store');
  let clients: Redis[];
  let stores: RedisRateLimitStore[];

  beforeAll(() => {
    // Three connections, as three app instances would have.
    clients = [new Redis(REDIS_URL), new Redis(REDIS_URL), new Redis(REDIS_URL)];
    stores = clients.map((c) => new RedisRateLimitStore(c));
  });
  afterAll(async () => {
    const keys = await clients[0]!.keys(`${prefix}*`);
    if (keys.length > 0) await clients[0]!.del(...keys);
    await Promise.all(clients.map((c) => c.quit()));
  });

  it('allows exactly `limit` of 300 concurrent hits spread over three connections', async () => {
    const key = `${prefix}burst`;
    const hits = await Promise.all(
      Array.from({ length: 300 }, (_, i) => stores[i % 3]!.hit(key, 50, 60_000)),
    );
    const allowed = hits.filter((h) => h.allowed);
    expect(allowed).toHaveLength(50);
    expect(allowed.map((h) => h.remaining).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, i) => i),
    );
    expect(
      hits.filter((h) => !h.allowed).every((h) => h.remaining === 0 && h.resetMs > 0 && h.resetMs <= 60_000),
    ).toBe(true);
    // Refused requests are not recorded; the key expires with the window.
    expect(await clients[0]!.zcard(key)).toBe(50);
    const ttl = await clients[0]!.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('slides: once the window has passed, the quota is back', async () => {
    const key = `${prefix}slide`;
    const first = await Promise.all([0, 1, 2].map(() => stores[0]!.hit(key, 2, 1000)));
    expect(first.map((h) => h.allowed)).toEqual([true, true, false]);
    await sleep(first[2]!.resetMs + 20);
    expect((await stores[1]!.hit(key, 2, 1000)).allowed).toBe(true);
  });

  it('loads its script once per client, whichever store instance asks', async () => {
    const again = new RedisRateLimitStore(clients[0]!);
    expect((await again.hit(`${prefix}second-store`, 1, 1000)).allowed).toBe(true);
  });

  describe('a server that accepts connections but never answers', () => {
    let server: Server;
    const sockets: Socket[] = [];
    let client: Redis;

    beforeAll(async () => {
      server = createServer((socket) => sockets.push(socket));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as { port: number };
      client = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 0, lazyConnect: true });
      client.on('error', () => undefined); // the connection is expected to fail; the store reports it
    });
    afterAll(async () => {
      client.disconnect();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    });

    it('makes a check fail after timeoutMs instead of hanging the request', async () => {
      const store = new RedisRateLimitStore(client, { timeoutMs: 200 });
      await expect(store.hit(`${prefix}hang`, 1, 1000)).rejects.toThrow(
        'Redis did not answer the rate-limit check within 200 ms',
      );
    });
  });
});
