import type { JobStore } from '../jobs/store.js';
import type { Tracker } from '../jobs/tracker.js';
import type { Logger } from '../log.js';
import type { MjTask } from '../upstream/types.js';
import type { CallbackOutcome, Health } from './server.js';

/**
 * Turns an upstream callback into a job change, at once. Only a task the tracker is following counts: a callback
 * for an unknown, finished or modal-waiting task is ignored (callbacks are unsigned, so they may only move a job
 * the bot is already waiting on, and the lifecycle rules keep a late or out-of-order one from undoing anything).
 */
export function callbackIntake(o: {
  tracker: Tracker;
  logger: Logger;
}): (task: MjTask) => Promise<CallbackOutcome> {
  return async (task) => {
    // The tracker's own map: a callback costs no store read, and one for a task it does not follow costs nothing.
    const jobId = o.tracker.jobOfTask(task.id);
    if (!jobId) {
      o.logger.debug({ taskId: task.id }, 'callback for a task not tracked; ignored');
      return 'ignored';
    }
    await o.tracker.applyTask(jobId, task);
    return 'applied';
  };
}

/**
 * `GET /healthz`: ready when Discord is connected and the store answers (within `timeoutMs`); it also names the
 * shards this process runs and the job leases it holds (several processes, see docs/deployment.md).
 */
export function healthCheck(o: {
  discordReady: () => boolean;
  store: JobStore;
  timeoutMs?: number;
  shards?: () => number[];
  leases?: () => number;
}): () => Promise<Health> {
  return async () => {
    const discord = o.discordReady() ? 'ready' : 'connecting';
    let store: Health['store'] = 'ok';
    let activeJobs = 0;
    try {
      await withTimeout(o.store.keyv.get('health:probe'), o.timeoutMs ?? 2_000);
      activeJobs = (await withTimeout(o.store.activeIds(), o.timeoutMs ?? 2_000)).length;
    } catch {
      store = 'error';
    }
    const shards = o.shards?.() ?? [0];
    const leases = o.leases?.() ?? 0;
    return { ok: discord === 'ready' && store === 'ok', discord, store, activeJobs, shards, leases };
  };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
