import { loadavg } from 'node:os';
import { CLUSTER, runCluster } from './clusterRun.js';
import type { RunResult } from './measure.js';
import { table } from './report.js';
import { runOne } from './runOne.js';

const ms = (v: number | null) => (v === null ? '—' : `${v.toLocaleString('en-US')} ms`);

/**
 * `npm run bench -- --processes 3 [--scale 0.1] [--no-baseline]`: the cluster scenario (issue 10 item 9) — first
 * the one-process bot (polling, SQLite) on the very same jobs for comparison, then three processes over Redis
 * with one SIGKILLed mid-run. `--processes 1` runs the baseline alone. The arrival window and job durations are
 * not scaled (the jobs stay active at once); only their number and the channels are.
 */
export async function clusterBench(processes: number, scale: number, baseline: boolean): Promise<string> {
  const scenario = {
    ...CLUSTER,
    jobs: Math.max(1, Math.round(CLUSTER.jobs * scale)),
    channels: Math.max(6, Math.round(CLUSTER.channels * scale)),
  };
  const results: RunResult[] = [];
  const loads: number[] = [];
  const sampler = setInterval(() => loads.push(loadavg()[0] ?? 0), 10_000);
  const loadRange = () =>
    `1-minute load average during the runs: ${loads.length ? `${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}` : 'n/a'}`;
  if (processes === 1 || baseline) {
    process.stderr.write(`bench: ${scenario.jobs} jobs, ${scenario.channels} channels — one process …\n`);
    const one = await runOne(scenario, 'polling');
    results.push({
      ...one,
      scenario: `${one.jobs} jobs, ${scenario.channels} channels, 1 process`,
      tracker: 'one process (SQLite)',
    });
    process.stderr.write(`bench:   one process done in ${one.wallSeconds.toFixed(0)} s\n`);
  }
  if (processes === 1) {
    clearInterval(sampler);
    return `${table(results)}\n\n${loadRange()}`;
  }
  if (processes !== 3) throw new Error('--processes must be 1 or 3');
  process.stderr.write(`bench: ${scenario.jobs} jobs, ${scenario.channels} channels — three processes …\n`);
  const c = await runCluster(scenario);
  process.stderr.write(`bench:   three processes done in ${(c.rows[0]?.wallSeconds ?? 0).toFixed(0)} s\n`);
  results.push(...c.rows);
  clearInterval(sampler);
  return [
    table(results),
    '',
    `takeover: ${c.takenOver} job leases taken over by the survivors, the last ${ms(c.takeoverMs)} after the SIGKILL;`,
    `${c.orphans} jobs of the killed process not yet shown at the kill: the last shown ${ms(c.lastOrphanShownMs)} after it,`,
    `their completion → final p95 ${ms(c.orphanFinalP95Ms)}.`,
    ...results.filter((r) => r.reads).map((r) => `upstream reads, ${r.scenario}: ${r.reads}.`),
    loadRange(),
  ].join('\n');
}
