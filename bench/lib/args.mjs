// Command-line flags for bench/run.mjs. No dependencies; unknown flags are an error.
export const ALL_SERVERS = ['fastify', 'nest', 'kwik'];

const USAGE = `Usage: node bench/run.mjs [--quick] [--only fastify,nest,kwik] [--connections N]
                         [--duration S] [--rounds N] [--warmup S] [--starts N] [--tool autocannon|wrk] [--no-pin]
  --quick        one 3 s run per endpoint, no warmup, one measured start per server
  --only LIST    servers to run (default: all three)
  --connections  concurrent connections (default 64)
  --duration     seconds per measured run (default 5; 3 with --quick)
  --rounds       measured runs per endpoint, interleaved across servers; medians reported
                 (default 3; 1 with --quick)
  --warmup       seconds of warmup load before each run (default 2; 0 with --quick)
  --starts       measured starts per server after one priming start (default 3; 1 with --quick)
  --tool         load generator (default autocannon; wrk only when installed)
  --no-pin       do not pin servers / load generator to separate cores`;

export class UsageError extends Error {
  name = 'UsageError';
}

export function positiveInt(name, raw, { min = 1, max = 100000 } = {}) {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`${name} must be an integer in [${min}, ${max}], got "${raw}"`);
  }
  return n;
}

function parseOnly(raw) {
  const list = String(raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = list.filter((s) => !ALL_SERVERS.includes(s));
  if (list.length === 0 || bad.length > 0) {
    throw new UsageError(`--only takes a comma list of ${ALL_SERVERS.join(', ')}; got "${raw}"`);
  }
  return ALL_SERVERS.filter((s) => list.includes(s));
}

export function splitArgv(argv) {
  const out = [];
  for (const a of argv) {
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    if (eq > 0) out.push(a.slice(0, eq), a.slice(eq + 1));
    else out.push(a);
  }
  return out;
}

/**
 * Parses the flags every harness shares (--quick, --no-pin, --connections, --duration, --warmup,
 * --rounds, --tool, --help) plus the harness's own: `own[flag](value, raw)` for each extra flag.
 * Applies the --quick defaults to duration, rounds and warmup.
 */
export function parseFlags(argv, defaults, own, usage) {
  const raw = { quick: false, pin: true, connections: 64, tool: 'autocannon', ...defaults };
  const args = splitArgv(argv);
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const value = () => {
      if (i + 1 >= args.length) throw new UsageError(`${flag} needs a value`);
      return args[++i];
    };
    if (flag === '--quick') raw.quick = true;
    else if (flag === '--no-pin') raw.pin = false;
    else if (flag === '--connections') raw.connections = positiveInt(flag, value(), { max: 10000 });
    else if (flag === '--duration') raw.duration = positiveInt(flag, value(), { max: 600 });
    else if (flag === '--warmup') raw.warmup = positiveInt(flag, value(), { min: 0, max: 120 });
    else if (flag === '--rounds') raw.rounds = positiveInt(flag, value(), { max: 20 });
    else if (flag === '--tool') raw.tool = value();
    else if (flag === '--help' || flag === '-h') raw.help = true;
    else if (Object.hasOwn(own, flag)) own[flag](value, raw);
    else throw new UsageError(`unknown flag "${flag}"\n${usage}`);
  }
  if (!['autocannon', 'wrk'].includes(raw.tool)) throw new UsageError(`--tool must be autocannon or wrk`);
  return {
    ...raw,
    duration: raw.duration ?? (raw.quick ? 3 : 5),
    rounds: raw.rounds ?? (raw.quick ? 1 : 3),
    warmup: raw.warmup ?? (raw.quick ? 0 : 2),
  };
}

export function parseArgs(argv) {
  const opts = parseFlags(
    argv,
    { only: ALL_SERVERS },
    {
      '--only': (value, raw) => (raw.only = parseOnly(value())),
      '--starts': (value, raw) => (raw.starts = positiveInt('--starts', value(), { max: 20 })),
    },
    USAGE,
  );
  return { ...opts, starts: opts.starts ?? (opts.quick ? 1 : 3) };
}

export { USAGE };
