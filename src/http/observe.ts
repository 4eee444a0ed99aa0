import type { REST } from 'discord.js';
import type { JobEventBus } from '../jobs/events.js';
import type { JobStore } from '../jobs/store.js';
import type { BotMetrics } from '../metrics.js';
import { MjError } from '../upstream/errors.js';

/** The upstream client's calls that reach the API, as the endpoint label of the metrics. */
const UPSTREAM_CALLS = new Set([
  'imagine',
  'blend',
  'describe',
  'shorten',
  'action',
  'modal',
  'fetch',
  'fetchMany',
  'imageSeed',
]);

/**
 * The upstream client, each API call counted and timed by endpoint and outcome (`ok`, or the `MjError` kind).
 * A thin wrapper: the client itself knows nothing of metrics.
 */
export function instrumentUpstream<T extends object>(client: T, metrics: BotMetrics): T {
  return new Proxy(client, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string' || !UPSTREAM_CALLS.has(prop)) return value;
      return async (...args: unknown[]) => {
        const end = metrics.upstreamSeconds.startTimer({ endpoint: prop });
        let outcome = 'ok';
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } catch (err) {
          outcome = err instanceof MjError ? err.kind : 'error';
          throw err;
        } finally {
          end({ outcome });
          metrics.upstreamRequests.inc({ endpoint: prop, outcome });
        }
      };
    },
  });
}

/** Counts every Discord REST answer (method, status), the 429s among them, and discord.js's own rate-limit waits. */
export function observeDiscordRest(rest: REST, metrics: BotMetrics): void {
  rest.on('response', (request, response) => {
    const status = String(response.status);
    metrics.discordRequests.inc({ method: request.method.toUpperCase(), status });
    if (response.status === 429) metrics.discord429.inc({ kind: 'answer' });
  });
  rest.on('rateLimited', () => metrics.discord429.inc({ kind: 'wait' }));
}

/** Counts jobs reaching a final state, from the job event hub. */
export function observeJobs(events: JobEventBus, metrics: BotMetrics): void {
  events.on('finished', () => metrics.jobsFinished.inc({ outcome: 'succeeded' }));
  events.on('failed', (e) => metrics.jobsFinished.inc({ outcome: e.job.failure?.kind ?? 'failed' }));
}

/** The active jobs by phase, for the `mj_jobs` gauge (every process's jobs when the store is shared). */
export function jobsByPhase(store: JobStore): () => Promise<Record<string, number>> {
  return async () => {
    const counts: Record<string, number> = { queued: 0, submitting: 0, tracking: 0, modal: 0 };
    for (const job of await store.activeView()) counts[job.phase] = (counts[job.phase] ?? 0) + 1;
    return counts;
  };
}
