// Command-line flags for bench/data.mjs (the data-shaping benchmark, issue 3). Same conventions
// as bench/lib/args.mjs: no dependencies, unknown flags are an error.
import { UsageError, positiveInt, splitArgv } from './args.mjs';

export const DATA_USAGE = `Usage: node bench/data.mjs [--quick] [--posts N] [--connections N] [--latency-connections N]
                          [--duration S] [--rounds N] [--warmup S] [--tool autocannon|wrk] [--no-pin]
  --quick                one 3 s run per endpoint, no warmup
  --posts                posts tenant acme is topped up to before the run (default 100000)
  --connections          concurrent connections for the req/s comparison (default 64)
  --latency-connections  concurrent connections for the page-1 / deep-page latencies (default 8)
  --duration             seconds per measured run (default 5; 3 with --quick)
  --rounds               measured runs per endpoint, interleaved; medians reported (default 3; 1 with --quick)
  --warmup               seconds of warmup load before each run (default 2; 0 with --quick)
  --tool                 load generator (default autocannon; wrk only when installed)
  --no-pin               do not pin servers / load generator to separate cores`;

export function parseDataArgs(argv) {
  const raw = { quick: false, pin: true, posts: 100_000, connections: 64, latencyConnections: 8 };
  raw.tool = 'autocannon';
  const args = splitArgv(argv);
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const value = () => {
      if (i + 1 >= args.length) throw new UsageError(`${flag} needs a value`);
      return args[++i];
    };
    if (flag === '--quick') raw.quick = true;
    else if (flag === '--no-pin') raw.pin = false;
    else if (flag === '--posts') raw.posts = positiveInt(flag, value(), { min: 100, max: 10_000_000 });
    else if (flag === '--connections') raw.connections = positiveInt(flag, value(), { max: 10000 });
    else if (flag === '--latency-connections') {
      raw.latencyConnections = positiveInt(flag, value(), { max: 1000 });
    } else if (flag === '--duration') raw.duration = positiveInt(flag, value(), { max: 600 });
    else if (flag === '--warmup') raw.warmup = positiveInt(flag, value(), { min: 0, max: 120 });
    else if (flag === '--rounds') raw.rounds = positiveInt(flag, value(), { max: 20 });
    else if (flag === '--tool') raw.tool = value();
    else if (flag === '--help' || flag === '-h') raw.help = true;
    else throw new UsageError(`unknown flag "${flag}"\n${DATA_USAGE}`);
  }
  if (!['autocannon', 'wrk'].includes(raw.tool)) throw new UsageError(`--tool must be autocannon or wrk`);
  return {
    ...raw,
    duration: raw.duration ?? (raw.quick ? 3 : 5),
    rounds: raw.rounds ?? (raw.quick ? 1 : 3),
    warmup: raw.warmup ?? (raw.quick ? 0 : 2),
  };
}
