import type { Logger } from '../log.js';
import { MjError } from '../upstream/errors.js';
import type { MjTask } from '../upstream/types.js';
import type { Clock } from '../util/clock.js';
import { type JobEventBus, saveChange } from './events.js';
import { applyTask, failJob } from './lifecycle.js';
import type { JobStore } from './store.js';
import {
  jittered,
  MAX_PERIOD_MS,
  type PollRates,
  pollPeriod,
  requestSpacing,
  TaskLists,
  type TaskReader,
} from './taskLists.js';
import type { Job } from './types.js';

export type { TaskReader } from './taskLists.js';

export interface TrackerOptions extends PollRates {
  reader: TaskReader;
  store: JobStore;
  clock: Clock;
  logger: Logger;
  /** Where every saved change of a job (progress, result, failure) is announced. */
  events: JobEventBus;
  batchSize: number;
  /** Times a task may be missing from the upstream's answers before its job ends as vanished. */
  vanishAfterMisses?: number;
  /** Spread (±) of every wait, so ticks and retries do not fall into step with others (default 0.1). */
  jitter?: number;
  /** Random source in [0, 1) for the jitter; default `Math.random`. */
  random?: () => number;
  /** Several processes: only the jobs this process holds a lease on are polled (absent: it owns every job). */
  ownership?: JobOwnership;
  /**
   * Several processes: false when a newer state of the job's task was already applied (by any process), checked
   * atomically where the processes share state, so an older state never overwrites a newer one.
   */
  isNewer?: (jobId: string, task: MjTask) => Promise<boolean>;
  /**
   * Several processes: true while one process reads every tracked task for all of them (src/cluster/sharedReads.ts)
   * and hands each process what changed (`applyRead`, `vanish`); a tick then only ends the jobs past their
   * deadline. False (or failing): this process reads its own jobs.
   */
  sharedReads?: { covered(): Promise<boolean> };
}

/** Who follows a job when several processes share the jobs (src/cluster/leases.ts). */
export interface JobOwnership {
  /** Takes the job for this process; false when another live process holds it. */
  claim(jobId: string): Promise<boolean>;
  /** This process stops following the job (it left `tracking`, or was untracked). */
  release(jobId: string): void;
}

interface Tracked {
  taskId: string;
  deadlineAt: number;
  misses: number;
  /** Consecutive failed reads of this job's task, and when it may be read again. */
  errors: number;
  retryAt: number;
}

/** A task was read but its job could not be saved (the store failed, not the upstream). */
class SaveFailed extends Error {
  constructor(override readonly cause: unknown) {
    super('saving a polled task failed');
  }
}

/**
 * One loop for every active job: each tick reads all tracked tasks in batches (list-by-condition, or one fetch
 * per task where the upstream lacks it), folds the answers into the jobs, saves and reports each change.
 */
export class Tracker {
  private readonly tracked = new Map<string, Tracked>();
  /** Task id → job id of the tracked jobs, for callbacks (which name the task). */
  private readonly byTask = new Map<string, string>();
  private readonly lists: TaskLists;
  private failures = 0;
  private timer: { cancel(): void } | null = null;
  private running = false;
  private tick: Promise<void> | null = null;

  constructor(private readonly o: TrackerOptions) {
    this.lists = new TaskLists(o);
  }

  get size(): number {
    return this.tracked.size;
  }

  has(jobId: string): boolean {
    return this.tracked.has(jobId);
  }

  /** Starts polling a job whose task the upstream accepted. */
  track(job: Job): void {
    if (!job.taskId || job.phase !== 'tracking') return;
    const ownership = this.o.ownership;
    if (!ownership) {
      this.follow(job, job.taskId);
      return;
    }
    ownership.claim(job.id).then(
      (mine) => {
        if (mine && job.taskId) this.follow(job, job.taskId);
        else this.o.logger.debug({ jobId: job.id }, 'another process follows the job');
      },
      (err: unknown) => this.o.logger.error({ err, jobId: job.id }, 'could not claim a job lease'),
    );
  }

  private follow(job: Job, taskId: string): void {
    this.byTask.set(taskId, job.id);
    this.tracked.set(job.id, {
      taskId,
      deadlineAt: job.deadlineAt,
      misses: 0,
      errors: 0,
      retryAt: 0,
    });
    if (this.running && this.tracked.size === 1) this.schedule();
  }

  untrack(jobId: string): void {
    this.forget(jobId);
  }

  /** The tracked job waiting on `taskId`, if any. */
  jobOfTask(taskId: string): string | null {
    return this.byTask.get(taskId) ?? null;
  }

  private forget(jobId: string): void {
    const t = this.tracked.get(jobId);
    if (t && this.byTask.get(t.taskId) === jobId) this.byTask.delete(t.taskId);
    if (this.tracked.delete(jobId)) this.o.ownership?.release(jobId);
  }

  /** The period of the loop (each job is read once per period): see `pollPeriod`. */
  interval(): number {
    return pollPeriod(this.o, Math.ceil(this.tracked.size / this.o.batchSize), this.failures);
  }

  /** `ms` spread by the jitter. */
  private jittered(ms: number): number {
    return jittered(ms, this.o.jitter ?? 0.1, this.o.random ?? Math.random);
  }

  start(): void {
    this.running = true;
    this.schedule();
  }

  stop(): Promise<void> {
    this.running = false;
    this.timer?.cancel();
    this.timer = null;
    return this.tick ?? Promise.resolve();
  }

  /** Fixed rate: a tick starts one (jittered) interval after the previous one started, not after it ended. */
  private schedule(wait = this.interval()): void {
    this.timer?.cancel();
    if (!this.running || this.tracked.size === 0) return;
    this.timer = this.o.clock.setTimeout(() => {
      const started = this.o.clock.now();
      void this.pollNow().finally(() => {
        this.schedule(Math.max(0, this.interval() - (this.o.clock.now() - started)));
      });
    }, this.jittered(wait));
  }

  /** Runs one tick now (after the one under way, if any). */
  pollNow(): Promise<void> {
    const next = (this.tick ?? Promise.resolve()).then(() => this.runTick());
    this.tick = next.finally(() => {
      if (this.tick === next) this.tick = null;
    });
    return next;
  }

  /** Applies a task from any source (a poll or a callback); returns the saved job when it changed. */
  async applyTask(jobId: string, task: MjTask): Promise<Job | null> {
    if (this.o.isNewer && !(await this.o.isNewer(jobId, task))) return null;
    const now = this.o.clock.now();
    return this.save(jobId, (job) => applyTask(job, task, now));
  }

  /**
   * One round over the tracked jobs that are due (not backing off), in batches, one request at a time, spread
   * over at most half the interval. A job that finished meanwhile (a callback) is left out of later batches.
   */
  private async runTick(): Promise<void> {
    const entries = [...this.tracked.entries()];
    if (entries.length === 0) return;
    try {
      await this.expireDeadlines(entries);
    } catch (err) {
      // The store is unreachable: the reads below cannot be saved either; the next tick tries again.
      this.failures += 1;
      this.o.logger.warn({ err, failures: this.failures }, 'saving polled tasks failed; backing off');
      return;
    }
    if (await this.coveredByOthers()) return;
    const now = this.o.clock.now();
    const due = entries.filter(([id, t]) => this.tracked.has(id) && t.retryAt <= now);
    const spacing = requestSpacing(this.interval(), Math.ceil(due.length / this.o.batchSize));
    let failed: unknown = null;
    let answered = false;
    for (let i = 0; i < due.length; i += this.o.batchSize) {
      if (i > 0) await this.o.clock.sleep(spacing);
      const batch = due.slice(i, i + this.o.batchSize).filter(([id]) => this.tracked.has(id));
      if (batch.length === 0) continue;
      try {
        await this.pollBatch(batch);
        answered = true;
      } catch (err) {
        failed = err;
        this.backOff(batch);
      }
    }
    if (failed === null) {
      // A tick with nothing due learned nothing about the upstream's health.
      if (answered) this.failures = 0;
      return;
    }
    this.failures += 1;
    if (failed instanceof MjError && failed.kind === 'auth') {
      // Every poll fails the same way until the operator fixes the key: say so plainly (never the key itself).
      this.o.logger.error(
        { httpStatus: failed.httpStatus, failures: this.failures },
        'the upstream refused the API key (MJ_API_KEY) while polling: check the key and its permissions',
      );
    }
    const what =
      failed instanceof SaveFailed
        ? 'saving polled tasks failed; backing off'
        : 'polling the upstream failed; backing off';
    const err = failed instanceof SaveFailed ? failed.cause : failed;
    this.o.logger.warn({ err, failures: this.failures }, what);
  }

  /** Whether the shared reader reads this process's tasks now (a failed check: this process reads them). */
  private async coveredByOthers(): Promise<boolean> {
    if (!this.o.sharedReads) return false;
    return this.o.sharedReads.covered().catch((err: unknown) => {
      this.o.logger.warn(
        { err },
        'could not tell whether the shared reader runs; reading this process’s tasks',
      );
      return false;
    });
  }

  /**
   * A state of a tracked job's task that the shared reader read (several processes); false when this process
   * does not follow the job. Applied like a poll answer.
   */
  async applyRead(jobId: string, task: MjTask): Promise<boolean> {
    const t = this.tracked.get(jobId);
    if (!t || t.taskId !== task.id) return false;
    t.misses = 0;
    await this.applyTask(jobId, task);
    return true;
  }

  /** The shared reader found the upstream no longer knows a tracked job's task (several processes). */
  async vanish(jobId: string): Promise<boolean> {
    const t = this.tracked.get(jobId);
    if (!t) return false;
    await this.endVanished(jobId, t.taskId);
    return true;
  }

  private async endVanished(jobId: string, taskId: string): Promise<void> {
    this.o.logger.warn({ jobId, taskId }, 'the upstream no longer knows the task');
    await this.finish(jobId, (job) => failJob(job, { kind: 'vanished' }, this.o.clock.now()));
  }

  /** The jobs of a failed read wait longer before their next read, each on its own (jittered) schedule. */
  private backOff(batch: [string, Tracked][]): void {
    const now = this.o.clock.now();
    for (const [, t] of batch) {
      t.errors += 1;
      const wait = Math.min(MAX_PERIOD_MS, this.o.baseIntervalMs * 2 ** Math.min(t.errors, 5));
      t.retryAt = now + this.jittered(wait);
    }
  }

  private async expireDeadlines(entries: [string, Tracked][]): Promise<void> {
    const now = this.o.clock.now();
    for (const [jobId, t] of entries) {
      if (t.deadlineAt > now) continue;
      this.o.logger.warn({ jobId, taskId: t.taskId }, 'job passed its deadline');
      await this.finish(jobId, (job) => failJob(job, { kind: 'deadline' }, now));
    }
  }

  private async pollBatch(batch: [string, Tracked][]): Promise<void> {
    const listed = await this.lists.list(batch.map(([, t]) => t.taskId));
    for (const [jobId, t] of batch) {
      if (!this.tracked.has(jobId)) continue;
      // Not listed (or no list-by-condition): one fetch, one request at a time.
      const task = listed.get(t.taskId) ?? (await this.readOne(jobId, t));
      if (task === undefined) continue;
      t.errors = 0;
      t.retryAt = 0;
      if (task) {
        t.misses = 0;
        const saved = await this.applyTask(jobId, task).catch((err: unknown) => {
          throw new SaveFailed(err);
        });
        if (saved && saved.phase !== 'tracking') this.forget(jobId);
        continue;
      }
      t.misses += 1;
      if (t.misses >= (this.o.vanishAfterMisses ?? 3)) {
        await this.endVanished(jobId, t.taskId).catch((err: unknown) => {
          throw new SaveFailed(err);
        });
      }
    }
  }

  /** A single read of one job's task; a failure backs that job off alone (undefined) instead of the batch. */
  private async readOne(jobId: string, t: Tracked): Promise<MjTask | null | undefined> {
    try {
      return await this.o.reader.fetch(t.taskId);
    } catch (err) {
      this.backOff([[jobId, t]]);
      this.o.logger.warn({ jobId, taskId: t.taskId, err }, 'reading a task failed; retrying later');
      return undefined;
    }
  }

  private async finish(jobId: string, change: (job: Job) => Job): Promise<void> {
    this.forget(jobId);
    await this.save(jobId, (job) => (job.phase === 'tracking' ? change(job) : null));
  }

  /** Saves a change (none when `change` gives null) and announces it; a job no longer tracking is let go. */
  private async save(jobId: string, change: (job: Job) => Job | null): Promise<Job | null> {
    const event = await saveChange(this.o.store, jobId, change);
    if (!event) return null;
    if (event.job.phase !== 'tracking') this.forget(jobId);
    this.o.events.emit(event);
    return event.job;
  }
}
