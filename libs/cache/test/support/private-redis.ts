import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A Redis server owned by one test file, which it may kill and restart mid-test. */
export interface PrivateRedis {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Kills the server with SIGKILL (an outage, not a shutdown) and waits until it has exited. */
  stop(): Promise<void>;
  /** Starts the server again on the same port (empty: nothing is persisted) and waits until it answers. */
  start(): Promise<void>;
}

const REDIS_SERVER = '/usr/bin/redis-server';
const READY_TIMEOUT_MS = 5000;
const EXIT_TIMEOUT_MS = 5000;
const POLL_MS = 50;

/** Every server started by this process, killed when the process exits however it ends. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/** True when a Redis on `port` answers PING with PONG within 500 ms. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let reply = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
  });
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`redis-server (pid ${child.pid}) did not exit within ${EXIT_TIMEOUT_MS} ms`)),
      EXIT_TIMEOUT_MS,
    );
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Starts a private `redis-server` on a free port of 127.0.0.1 (no persistence), for tests that take
 * Redis down and bring it back. Call `stop()` in `afterAll`; the server is also killed when the
 * test process exits, even by a signal (a watchdog shell kills it when our end of its stdin closes).
 *
 * @example
 * const redis = await startPrivateRedis();
 * afterAll(() => redis.stop());
 * await redis.stop(); // outage
 * await redis.start(); // back, empty
 */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  installExitHook();
  const port = await freePort();
  let server: ChildProcess | undefined;
  let watchdog: ChildProcess | undefined;

  const spawnServer = async (): Promise<void> => {
    const child = spawn(
      REDIS_SERVER,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-4000);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    const spawned = await new Promise<boolean>((resolve) => {
      child.once('spawn', () => resolve(true));
      child.once('error', (error) => {
        output += String(error);
        resolve(false);
      });
    });
    if (!spawned) throw new Error(`could not spawn ${REDIS_SERVER}: ${output}`);
    running.add(child);
    child.once('exit', () => running.delete(child));
    // Neither the server nor its pipes keep the test process alive.
    child.unref();
    for (const pipe of [child.stdout, child.stderr]) (pipe as unknown as { unref?: () => void }).unref?.();
    server = child;
    // Kills the server if this process dies without running its exit hooks (SIGKILL of the worker).
    watchdog = spawn('/bin/sh', ['-c', `read _; kill -9 ${child.pid} 2>/dev/null`], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    watchdog.unref();
    (watchdog.stdin as unknown as { unref?: () => void }).unref?.();

    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`redis-server on port ${port} exited at start:\n${output}`);
      if (await answersPing(port)) return;
      await sleep(POLL_MS);
    }
    await stop();
    throw new Error(
      `redis-server on port ${port} did not answer PING within ${READY_TIMEOUT_MS} ms:\n${output}`,
    );
  };

  const stop = async (): Promise<void> => {
    const child = server;
    const guard = watchdog;
    server = undefined;
    watchdog = undefined;
    // The watchdog goes first, so it can never kill a recycled pid later.
    guard?.kill('SIGKILL');
    if (!child) return;
    child.kill('SIGKILL');
    await waitForExit(child);
  };

  const start = async (): Promise<void> => {
    if (server) return;
    await spawnServer();
  };

  await spawnServer();
  return { url: `redis://127.0.0.1:${port}`, port, stop, start };
}
