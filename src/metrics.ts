import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * What operators watch (`GET /metrics`, Prometheus text format), one registry per bot so tests can run several.
 * Collected at the edges — the event hub, a wrapper of the upstream client, discord.js's REST events, the HTTP
 * server — never inside the jobs or upstream cores. Every name starts with `mj_`.
 */
export interface BotMetrics {
  readonly registry: Registry;
  /** Jobs not final, by phase (`queued` = waiting in the local queue); read from the store at each scrape. */
  readonly jobs: Gauge<'phase'>;
  /** Jobs that reached a final state, by outcome (`succeeded` / the failure kind). */
  readonly jobsFinished: Counter<'outcome'>;
  /** Calls of the upstream client by endpoint and outcome (`ok` or the error kind); a read's retries are inside one call. */
  readonly upstreamRequests: Counter<'endpoint' | 'outcome'>;
  readonly upstreamSeconds: Histogram<'endpoint' | 'outcome'>;
  /** Requests to Discord's REST API by method and status (writes are every method but GET). */
  readonly discordRequests: Counter<'method' | 'status'>;
  /** `kind="answer"`: 429 answers from Discord (the target is 0); `kind="wait"`: waits discord.js took ahead of a limit. */
  readonly discord429: Counter<'kind'>;
  /** Jobs this process took over from a process that died or stopped (the cluster's lease manager counts). */
  readonly leaseTakeovers: Counter;
  /** 1 while this process reads every tracked task for the others (several processes; src/cluster/sharedReads.ts). */
  readonly sharedReader: Gauge;
  /** Upstream callbacks by outcome: applied, ignored, forbidden (wrong secret), invalid, too_large. */
  readonly callbacks: Counter<'outcome'>;
}

/** Latency buckets (seconds) from a quick read to a slow submit. */
const SECONDS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * A fresh registry with the bot's metrics. `jobsNow` is asked at each scrape for the active jobs by phase.
 * `processMetrics` adds Node's own (CPU, RSS, event loop lag, GC): once per process, so off in tests.
 */
export function createMetrics(
  o: {
    jobsNow?: () => Promise<Record<string, number>>;
    /** Jobs taken over so far (the lease manager's own count), added to `mj_lease_takeovers_total` at each scrape. */
    takeovers?: () => number;
    /** Whether this process is the shared reader now (several processes), read at each scrape. */
    reader?: () => boolean;
    processMetrics?: boolean;
  } = {},
): BotMetrics {
  const registry = new Registry();
  const registers = [registry];
  const { jobsNow, takeovers } = o;
  let takeoversSeen = 0;
  const metrics: BotMetrics = {
    registry,
    jobs: new Gauge({
      name: 'mj_jobs',
      help: 'Jobs not yet final, by phase (queued: waiting in the local queue)',
      labelNames: ['phase'],
      registers,
      async collect() {
        if (!jobsNow) return;
        this.reset();
        for (const [phase, n] of Object.entries(await jobsNow())) this.set({ phase }, n);
      },
    }),
    jobsFinished: new Counter({
      name: 'mj_jobs_finished_total',
      help: 'Jobs that reached a final state, by outcome',
      labelNames: ['outcome'],
      registers,
    }),
    upstreamRequests: new Counter({
      name: 'mj_upstream_requests_total',
      help: 'Calls of the upstream (midjourney-proxy) API by endpoint and outcome',
      labelNames: ['endpoint', 'outcome'],
      registers,
    }),
    upstreamSeconds: new Histogram({
      name: 'mj_upstream_request_seconds',
      help: 'Duration of upstream calls (a read with its retries is one call), by endpoint and outcome',
      labelNames: ['endpoint', 'outcome'],
      buckets: SECONDS,
      registers,
    }),
    discordRequests: new Counter({
      name: 'mj_discord_requests_total',
      help: 'Requests to the Discord REST API by method and HTTP status',
      labelNames: ['method', 'status'],
      registers,
    }),
    discord429: new Counter({
      name: 'mj_discord_rate_limited_total',
      help: '429 answers from Discord (kind=answer) and rate-limit waits discord.js took ahead of a limit (kind=wait)',
      labelNames: ['kind'],
      registers,
    }),
    leaseTakeovers: new Counter({
      name: 'mj_lease_takeovers_total',
      help: 'Active jobs this process took over from another process (died or stopped)',
      registers,
      collect() {
        const now = takeovers?.() ?? 0;
        if (now > takeoversSeen) this.inc(now - takeoversSeen);
        takeoversSeen = Math.max(takeoversSeen, now);
      },
    }),
    sharedReader: new Gauge({
      name: 'mj_shared_reader',
      help: '1 while this process reads the upstream tasks of every process (several processes), else 0',
      registers,
      collect() {
        this.set(o.reader?.() ? 1 : 0);
      },
    }),
    callbacks: new Counter({
      name: 'mj_callbacks_total',
      help: 'Upstream callbacks by outcome',
      labelNames: ['outcome'],
      registers,
    }),
  };
  if (o.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'mj_process_' });
  return metrics;
}
