// Child-process handling: free ports, core pinning, spawn-to-first-200 timing, RSS, stop.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

const POLL_MS = 10;
const TAIL_BYTES = 8192;
const running = new Set();

/**
 * Never leave a server behind: SIGKILL every child still running when this process exits
 * (also on a crash, e.g. EPIPE when the output is piped to `head`) or is told to stop.
 */
function killAll() {
  for (const child of running) child.kill('SIGKILL');
}

export function killChildrenOnExit() {
  process.on('exit', killAll);
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ]) {
    process.once(signal, () => {
      killAll();
      process.exit(code);
    });
  }
}

/** Ask the kernel for a free TCP port on 127.0.0.1 (released again before use). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Servers on core 1, this process (the load generator) on core 0 — when there are two
 * cores and taskset works here. Returns a description for the report.
 */
export function setupPinning(wanted) {
  const cpus = os.availableParallelism?.() ?? os.cpus().length;
  if (!wanted) return { pinned: false, reason: 'disabled (--no-pin)', cpus };
  if (cpus < 2) return { pinned: false, reason: `only ${cpus} CPU`, cpus };
  const check = spawnSync('taskset', ['-c', '1', 'true'], { timeout: 2000 });
  if (check.error || check.status !== 0) return { pinned: false, reason: 'taskset unavailable', cpus };
  const self = spawnSync('taskset', ['-cp', '0', String(process.pid)], { timeout: 2000 });
  const loadPinned = !self.error && self.status === 0;
  return { pinned: true, serverCpu: 1, loadCpu: loadPinned ? 0 : null, cpus };
}

/** Keeps only the last few KB a stream produced: enough to explain a failure, bounded. */
class Tail {
  constructor() {
    this.text = '';
  }
  push(chunk) {
    this.text += chunk.toString('utf8');
    if (this.text.length > TAIL_BYTES * 2) this.text = this.text.slice(-TAIL_BYTES);
  }
  lines(n = 20) {
    return this.text.slice(-TAIL_BYTES).split('\n').filter(Boolean).slice(-n);
  }
}

/** GET a 127.0.0.1 URL once; resolves to the status code, or 0 on any connection error. */
export function probe(url, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/** VmRSS of a live process, in MB (from /proc/<pid>/status), or null off Linux. */
export function readRssMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

/** CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat. */
export function cpuTimeMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
  } catch {
    return null;
  }
}

/** CPU time (user + system) this process has used so far, in ms. */
export function selfCpuMs() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** CPU time all processes on the machine have used so far (every core), in ms, from /proc/stat. */
export function machineBusyMs() {
  try {
    const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = ticks;
    return ((user + nice + system + irq + softirq + steal) * 1000) / CLK_TCK;
  } catch {
    return null;
  }
}

function processName(pid) {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return null;
  }
}

function spawnChild(spec, pinning) {
  const [cmd, ...args] = spec.command;
  const full = pinning.pinned ? ['taskset', '-c', String(pinning.serverCpu), cmd, ...args] : spec.command;
  const child = spawn(full[0], full.slice(1), {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    // stdout (the demo's JSON logs, ~8 MB/s under load) goes to /dev/null: a pipe drained by
    // this process would share the load generator's core, and its back-pressure would stall the
    // server's log writes and skew the figure. stderr (boot failures) is kept for diagnostics.
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const tail = new Tail();
  // Drain stderr: keep only a bounded tail, discard the rest.
  child.stderr.on('data', (c) => tail.push(c));
  child.exited = new Promise((resolve) => {
    // 'close' comes after 'exit' once stderr is drained, so the tail is complete.
    child.once('close', (code, signal) => resolve({ code, signal }));
    child.once('error', (err) => resolve({ code: null, signal: null, error: err }));
  });
  child.tail = tail;
  return child;
}

function hasExited(child) {
  return child.exitCode !== null || child.signalCode !== null;
}

async function waitReady(child, url, timeoutMs) {
  const deadline = performance.now() + timeoutMs;
  const maxPolls = Math.ceil(timeoutMs / POLL_MS) + 1;
  let last = 0;
  for (let i = 0; i < maxPolls && performance.now() < deadline; i++) {
    if (hasExited(child)) return { ok: false, why: `exited (code ${child.exitCode}, ${child.signalCode})` };
    last = await probe(url, Math.max(50, Math.min(1000, deadline - performance.now())));
    if (last === 200) return { ok: true };
    await sleep(POLL_MS);
  }
  return { ok: false, why: `not ready after ${timeoutMs} ms (last status ${last || 'no answer'})` };
}

/**
 * Spawn a server and time it to the first 200 of its readiness URL; RSS read right then.
 * spec: { name, command: [cmd, ...args], cwd, env, port, readyPath }
 * Throws (after stopping the child) with the child's last output lines when not ready.
 */
export async function startServer(spec, pinning, timeoutMs) {
  const url = `http://127.0.0.1:${spec.port}${spec.readyPath}`;
  const [all0, self0] = [machineBusyMs(), selfCpuMs()];
  const t0 = performance.now();
  const child = spawnChild(spec, pinning);
  const ready = await waitReady(child, url, timeoutMs);
  const coldStartMs = performance.now() - t0;
  const [all1, self1, startCpuMs] = [machineBusyMs(), selfCpuMs(), cpuTimeMs(child.pid)];
  if (!ready.ok) {
    await stopServer(child);
    const tail = child.tail.lines(20).map((l) => `    | ${l}`);
    const err = new Error(
      `${spec.name}: ${ready.why} at ${url}\n  last output:\n${tail.join('\n') || '    | (none)'}`,
    );
    err.tail = child.tail.lines(20);
    throw err;
  }
  const rssMb = readRssMb(child.pid);
  // What the rest of the machine used meanwhile (share of one core): a busy machine slows starts.
  const otherCpu =
    all0 === null || all1 === null || startCpuMs === null
      ? null
      : Math.max(0, (all1 - all0 - startCpuMs - (self1 - self0)) / coldStartMs);
  return {
    child,
    coldStartMs,
    startCpuMs,
    otherCpu,
    rssMb,
    pid: child.pid,
    procName: processName(child.pid),
  };
}

/** SIGTERM, wait up to graceMs, then SIGKILL (and wait a little more). Never throws. */
export async function stopServer(child, graceMs = 5000) {
  if (!child) return { forced: false };
  if (hasExited(child)) {
    await Promise.race([child.exited, sleep(1000, undefined, { ref: false })]);
    return { forced: false };
  }
  child.kill('SIGTERM');
  const exited = await Promise.race([
    child.exited.then(() => true),
    sleep(graceMs, undefined, { ref: false }).then(() => false),
  ]);
  if (exited) return { forced: false };
  child.kill('SIGKILL');
  await Promise.race([child.exited, sleep(2000, undefined, { ref: false })]);
  return { forced: true };
}

/**
 * Runs a harness's `main`, and stops the servers it started (`started`, filled as they start)
 * however it ends; a failure prints its stack and sets exit code 1.
 */
export function runHarness(main, started) {
  return main()
    .catch((err) => {
      console.error(err.stack ?? String(err));
      process.exitCode = 1;
    })
    .finally(() => Promise.all(started.map((s) => stopServer(s.child))));
}
