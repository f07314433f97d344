// The measured part of a tasks benchmark runner (bench/servers/tasks-*.mjs): `jobs` enqueues from
// `enqueuers` concurrent loops, then wait (bounded) until `completed()` reaches `jobs`; returns
// { jobs, ms, jobsPerSec, enqueueP50Ms, enqueueP99Ms, cpuUsPerJob } (from the first enqueue to the
// last completion; cpuUsPerJob is this process's CPU, not the database's or Redis's).
const WAIT_LIMIT_MS = 300_000;

export async function enqueueAndDrain({ jobs, enqueuers, enqueue, completed }) {
  const latencies = [];
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: enqueuers }, async () => {
      while (next < jobs) {
        next++;
        const s = performance.now();
        await enqueue(next);
        latencies.push(performance.now() - s);
      }
    }),
  );
  const deadline = Date.now() + WAIT_LIMIT_MS;
  const finished = () => completed() >= jobs || Date.now() >= deadline;
  while (!finished()) await new Promise((r) => setTimeout(r, 5));
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  const done = completed();
  return {
    jobs: done,
    ms,
    jobsPerSec: (done / ms) * 1000,
    enqueueP50Ms: q(0.5),
    enqueueP99Ms: q(0.99),
    // The runner's own CPU per job (µs): what a noisy host disturbs least.
    cpuUsPerJob: (cpu.user + cpu.system) / done,
  };
}

/** Removes a BullMQ queue with everything in it (a clean start for each run). */
export async function dropQueue(redisUrl, prefix, name) {
  const { Queue } = await import('bullmq');
  const queue = new Queue(name, { connection: { url: redisUrl }, prefix });
  await queue.obliterate({ force: true });
  await queue.close();
}
