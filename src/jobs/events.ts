import type { Logger } from '../log.js';
import type { JobStore } from './store.js';
import type { Job, JobPhase } from './types.js';

/**
 * What happened to a job. Every event carries the job as saved after the change; the type says which change
 * it was (see {@link eventOf}):
 * - `queued`: the job waits in the local queue and its place in line changed (`job.waitingPosition`);
 * - `released`: the local queue let a waiting job go: it is `submitting`, its one submit is being sent;
 * - `accepted`: the upstream has the job's task and the tracker follows it (a submit accepted, a pop-up
 *   confirmed, a failed job found running again upstream);
 * - `progressed`: a tracked task changed (status, progress, preview image);
 * - `paused`: the upstream waits for a pop-up's answer (`modal`, the remix prompt) and is not polled;
 * - `finished`: the job succeeded (final);
 * - `failed`: the job failed, `job.failure` says why (final): refused, cancelled, past its deadline, vanished….
 *
 * A job's creation is no event: the code that starts a job shows its first state itself.
 */
export type JobEventType =
  | 'queued'
  | 'released'
  | 'accepted'
  | 'progressed'
  | 'paused'
  | 'finished'
  | 'failed';

/** One change of a job. Plain data (JSON round-trips it unchanged), so a transport can carry it between processes. */
export interface JobEvent<T extends JobEventType = JobEventType> {
  type: T;
  /** The job's phase before the change (null when it was not known). */
  from: JobPhase | null;
  /** The job as saved after the change. */
  job: Job;
}

/** What a handler returns is ignored, but a rejected promise is logged like a throw. */
export type JobEventHandler<T extends JobEventType = JobEventType> = (event: JobEvent<T>) => unknown;

/**
 * Where the jobs layer announces changes and the parts that act on them (publisher, local queue, DM mailer,
 * remix follow-up) listen. The seam for a cross-process transport (e.g. Redis pub/sub): an implementation
 * publishes `emit`ted events and hands received ones to the handlers. A handler must therefore not rely on
 * running before `emit` returns, nor on a shared object identity: it gets plain data.
 */
export interface JobEventBus {
  /** Hands `event` to every handler of its type and of `'*'`. Never throws. */
  emit(event: JobEvent): void;
  /** Calls `handler` for each event of `type`; returns the call that unsubscribes it. */
  on<T extends JobEventType>(type: T, handler: JobEventHandler<T>): () => void;
  /** Calls `handler` for every event; returns the call that unsubscribes it. */
  on(type: '*', handler: JobEventHandler): () => void;
}

/** The event a saved change of a job makes, from the job before (absent when not known) and after. Pure. */
export function eventOf(previous: Pick<Job, 'phase'> | null | undefined, job: Job): JobEvent {
  const from = previous?.phase ?? null;
  return { type: typeOf(from, job), from, job };
}

/**
 * Saves a change of a job (none when `change` gives null, or the job is unknown) and returns the event it makes,
 * for the caller to emit once it has done its own part (tracked the job, logged…).
 */
export async function saveChange(
  store: Pick<JobStore, 'update'>,
  jobId: string,
  change: (job: Job) => Job | null,
): Promise<JobEvent | null> {
  let previous: Job | undefined;
  const job = await store.update(jobId, (j) => {
    previous = j;
    return change(j);
  });
  return job ? eventOf(previous, job) : null;
}

function typeOf(previous: JobPhase | null, job: Job): JobEventType {
  switch (job.phase) {
    case 'queued':
      return 'queued';
    case 'submitting':
      return 'released';
    case 'tracking':
      return previous === 'tracking' ? 'progressed' : 'accepted';
    case 'modal':
      return 'paused';
    case 'succeeded':
      return 'finished';
    case 'failed':
      return 'failed';
  }
}

/**
 * The hub within one process: handlers run synchronously, in the order they subscribed, before `emit`
 * returns. A handler that throws is logged and the others still run.
 */
export class LocalJobEvents implements JobEventBus {
  private readonly handlers: Array<{ type: JobEventType | '*'; handler: JobEventHandler }> = [];

  constructor(private readonly logger: Logger) {}

  emit(event: JobEvent): void {
    // A copy: a handler that subscribes or unsubscribes meanwhile changes the next event's list, not this one's.
    for (const { type, handler } of [...this.handlers]) {
      if (type !== '*' && type !== event.type) continue;
      try {
        const done = handler(event);
        if (done instanceof Promise) done.catch((err: unknown) => this.failed(err, event));
      } catch (err) {
        this.failed(err, event);
      }
    }
  }

  on<T extends JobEventType>(type: T, handler: JobEventHandler<T>): () => void;
  on(type: '*', handler: JobEventHandler): () => void;
  on(type: JobEventType | '*', handler: JobEventHandler): () => void {
    const entry = { type, handler };
    this.handlers.push(entry);
    return () => {
      const at = this.handlers.indexOf(entry);
      if (at >= 0) this.handlers.splice(at, 1);
    };
  }

  private failed(err: unknown, event: JobEvent): void {
    this.logger.error({ err, event: event.type, jobId: event.job.id }, 'a job event handler failed');
  }
}
