// What every benchmark run does first: children killed on exit, the load tool settled, CPUs
// pinned (and said so), and the header of its results file.
import { wrkAvailable } from './load.mjs';
import { killChildrenOnExit, setupPinning } from './proc.mjs';
import { machineInfo } from './report.mjs';

/** Starts a run with the parsed options; returns the pinning and the results' common fields. */
export function beginRun(opts) {
  killChildrenOnExit();
  if (opts.tool === 'wrk' && !wrkAvailable()) {
    console.log('wrk not installed: using autocannon');
    opts.tool = 'autocannon';
  }
  const pinning = setupPinning(opts.pin);
  console.log(
    pinning.pinned
      ? `Pinned: servers on CPU ${pinning.serverCpu}, load generator on CPU ${pinning.loadCpu ?? 'any'}`
      : `Not pinned: ${pinning.reason}`,
  );
  return {
    pinning,
    header: { date: new Date().toISOString(), machine: machineInfo(), options: opts, pinning },
  };
}
