// Command-line flags for bench/data.mjs (the data-shaping benchmark, issue 3). Same conventions
// as bench/lib/args.mjs: no dependencies, unknown flags are an error.
import { parseFlags, positiveInt } from './args.mjs';

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
  return parseFlags(
    argv,
    { posts: 100_000, latencyConnections: 8 },
    {
      '--posts': (value, raw) => (raw.posts = positiveInt('--posts', value(), { min: 100, max: 10_000_000 })),
      '--latency-connections': (value, raw) =>
        (raw.latencyConnections = positiveInt('--latency-connections', value(), { max: 1000 })),
    },
    DATA_USAGE,
  );
}
