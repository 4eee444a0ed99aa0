/**
 * `npm run bench`: the real bot and a naive tracker on the same scenarios, against the loopback fakes (a fake
 * Discord that answers 429 beyond 5 writes per 5 s per channel, and a midjourney-proxy simulator running each job
 * on a realistic, compressed timeline). Prints a Markdown table. Options:
 *   --only s500,s50,s2000          scenarios to run (default: all)
 *   --trackers naive,polling,callbacks   (default: all three)
 *   --json <file>                  also write the results as JSON
 *   --scale 0.1                    fewer jobs over a shorter window (a quick look, not the measured run)
 *   --sequential                   run every tracker alone, even in the light scenarios
 *   --processes 3                  the cluster scenario instead (bench/clusterMain.ts): 3 processes over Redis,
 *                                  one SIGKILLed mid-run, after the one-process bot on the same jobs
 *                                  (--no-baseline skips that; --processes 1 runs it alone)
 * For diagnosis: BENCH_KEEP=1 keeps each run's folder (tracker log, store, trace.json of every write),
 * BENCH_PROF=1 adds a V8 CPU profile of the tracker there, BENCH_IMAGE_KB sets the final image size (default 100),
 * BENCH_NODE_OPTIONS is passed to the tracker's process as NODE_OPTIONS, BENCH_NODE_ARGS as flags on its command line
 * (one process only; for what NODE_OPTIONS refuses, e.g. --trace-gc), BENCH_LOG_LEVEL sets its LOG_LEVEL (warn).
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { clusterBench } from './clusterMain.js';
import type { RunResult } from './measure.js';
import { build, START_FLAGS } from './processes.js';
import { table } from './report.js';
import { runOne, TRACKERS, type TrackerKind } from './runOne.js';
import { SCENARIOS } from './scenarios.js';

function arg(name: string): string | null {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? null) : null;
}

async function main(): Promise<void> {
  const only = arg('only')?.split(',') ?? null;
  const trackers = (arg('trackers')?.split(',') ?? TRACKERS) as TrackerKind[];
  const scale = Number(arg('scale') ?? 1);
  const scenarios = SCENARIOS.filter((s) => !only || only.includes(s.id)).map((s) =>
    scale === 1
      ? s
      : {
          ...s,
          jobs: Math.max(1, Math.round(s.jobs * scale)),
          arrivalMs: Math.round(s.arrivalMs * scale),
        },
  );
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  process.stderr.write(
    `bench: ${cpus().length} × ${cpu}, Node ${process.version} (bot flags as npm start: ${START_FLAGS.join(' ') || 'none'}), load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n`,
  );
  build();
  const processes = arg('processes');
  if (processes) {
    const out = await clusterBench(Number(processes), scale, !process.argv.includes('--no-baseline'));
    process.stderr.write(
      `bench: load average at the end: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}\n`,
    );
    process.stdout.write(`${out}\n`);
    return;
  }
  // The machine's load while the bench runs (others' work disturbs the latencies): reported at the end.
  const loads: number[] = [];
  const sampler = setInterval(() => loads.push(loadavg()[0] ?? 0), 10_000);
  const results: RunResult[] = [];
  const sequential = process.argv.includes('--sequential');
  for (const scenario of scenarios) {
    const one = async (tracker: TrackerKind) => {
      process.stderr.write(`bench: ${scenario.title} — ${tracker} …\n`);
      const result = await runOne(scenario, tracker);
      process.stderr.write(`bench:   ${scenario.id} ${tracker} done in ${result.wallSeconds.toFixed(0)} s\n`);
      return result;
    };
    if (scenario.parallel && !sequential) results.push(...(await Promise.all(trackers.map(one))));
    else for (const tracker of trackers) results.push(await one(tracker));
  }
  clearInterval(sampler);
  const range = loads.length ? `${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}` : 'n/a';
  process.stderr.write(`bench: 1-minute load average during the runs: ${range}\n`);
  process.stdout.write(`${table(results)}\n`);
  const json = arg('json');
  if (json)
    writeFileSync(json, `${JSON.stringify({ machine: { cpu, cores: cpus().length }, results }, null, 2)}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(
      `bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
