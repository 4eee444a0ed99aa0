import type { RunResult } from './measure.js';

const ms = (v: number | null) => (v === null ? '—' : v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${v} ms`);

const COLUMNS: Array<[string, (r: RunResult) => string]> = [
  ['scenario', (r) => r.scenario],
  ['tracker', (r) => r.tracker],
  [
    'upstream req/job',
    (r) => `${r.upstreamPerJob.toFixed(2)} (${r.upstreamSubmitsPerJob.toFixed(2)} submit)`,
  ],
  ['Discord REST/job', (r) => r.discordPerJob.toFixed(2)],
  ['429s', (r) => String(r.rateLimited)],
  ['final p50', (r) => ms(r.finalP50Ms)],
  ['final p95', (r) => ms(r.finalP95Ms)],
  ['floor p95', (r) => ms(r.boundP95Ms)],
  ['ack p99', (r) => ms(r.ackP99Ms)],
  ['peak RSS', (r) => `${Math.round(r.peakRssMb)} MB`],
  ['CPU', (r) => `${r.cpuSeconds.toFixed(1)} s`],
  ['results missing', (r) => `${r.missing}/${r.jobs}`],
];

/** The results as a Markdown table (readable on a terminal, pasted as is into docs/performance.md). */
export function table(results: RunResult[]): string {
  const rows = [COLUMNS.map(([name]) => name), ...results.map((r) => COLUMNS.map(([, cell]) => cell(r)))];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  const [head, ...body] = rows;
  return [line(head ?? []), rule, ...body.map(line)].join('\n');
}
