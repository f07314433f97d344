import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('./fixtures/shutdown-app.mjs', import.meta.url));
const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));

interface Running {
  child: ChildProcess;
  port: number;
  output: () => string;
  exit: Promise<number | null>;
}

function start(env: Record<string, string> = {}): Promise<Running> {
  const child = spawn(process.execPath, [FIXTURE], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`fixture did not start:\n${out}`)), 15_000);
    child.stdout!.on('data', () => {
      const match = /LISTENING (\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, port: Number(match[1]), output: () => out, exit });
      }
    });
  });
}

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('graceful shutdown (a real process and SIGTERM)', () => {
  let running: Running | undefined;
  beforeAll(() => {
    if (!existsSync(DIST))
      throw new Error('libs/core/dist is missing: run `npm run build` (npm test does it first)');
  });
  afterEach(() => {
    running?.child.kill('SIGKILL');
    running = undefined;
  });

  it('finishes the in-flight request, refuses new ones, runs shutdown hooks, exits 0', async () => {
    running = await start();
    const { port } = running;
    const inflight = get(port, '/slow?ms=600');
    await new Promise((r) => setTimeout(r, 150));
    running.child.kill('SIGTERM');
    await expect(inflight).resolves.toEqual({ status: 200, body: '{"done":true}' });
    expect(await running.exit).toBe(0);
    await expect(get(port, '/health/live')).rejects.toThrow(/ECONNREFUSED/);
    const out = running.output();
    expect(out).toContain('SHUTDOWN_HOOK SIGTERM');
  });

  it('closes requests still open after SHUTDOWN_TIMEOUT_MS and still exits 0', async () => {
    running = await start({ SHUTDOWN_TIMEOUT_MS: '200' });
    const started = Date.now();
    const inflight = get(running.port, '/slow?ms=5000');
    await new Promise((r) => setTimeout(r, 100));
    running.child.kill('SIGTERM');
    await expect(inflight).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(await running.exit).toBe(0);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(running.output()).toContain('SHUTDOWN_HOOK SIGTERM');
  });
});
