import type { Logger } from '../log.js';
import { MjError } from '../upstream/errors.js';
import type { MjTask } from '../upstream/types.js';
import type { Clock } from '../util/clock.js';
import { applyTask, failJob } from './lifecycle.js';
import type { JobStore } from './store.js';
import type { Job } from './types.js';

/** What the tracker needs of the upstream: batched reads, with single reads as a fallback. */
export interface TaskReader {
  fetchMany(taskIds: string[]): Promise<MjTask[]>;
  fetch(taskId: string): Promise<MjTask | null>;
}

export interface TrackerOptions {
  reader: TaskReader;
  store: JobStore;
  clock: Clock;
  logger: Logger;
  /** Called after every saved change of a job (progress, result, failure). */
  onChange: (job: Job) => void;
  baseIntervalMs: number;
  batchSize: number;
  /** Times a task may be missing from the upstream's answers before its job ends as vanished. */
  vanishAfterMisses?: number;
}

interface Tracked {
  taskId: string;
  deadlineAt: number;
  misses: number;
}

const MAX_INTERVAL_MS = 60_000;
/** Spacing between batch requests of one tick, so a large tick does not burst the upstream. */
const REQUEST_SPACING_MS = 200;

/**
 * One loop for every active job: each tick reads all tracked tasks in batches (list-by-condition, or one fetch
 * per task where the upstream lacks it), folds the answers into the jobs, saves and reports each change.
 */
export class Tracker {
  private readonly tracked = new Map<string, Tracked>();
  private batchSupported = true;
  private failures = 0;
  private timer: { cancel(): void } | null = null;
  private running = false;
  private tick: Promise<void> | null = null;

  constructor(private readonly o: TrackerOptions) {}

  get size(): number {
    return this.tracked.size;
  }

  has(jobId: string): boolean {
    return this.tracked.has(jobId);
  }

  /** Starts polling a job whose task the upstream accepted. */
  track(job: Job): void {
    if (!job.taskId || job.phase !== 'tracking') return;
    this.tracked.set(job.id, { taskId: job.taskId, deadlineAt: job.deadlineAt, misses: 0 });
    if (this.running && this.tracked.size === 1) this.schedule();
  }

  untrack(jobId: string): void {
    this.tracked.delete(jobId);
  }

  /** The wait before the next tick: grows with the number of batches and after upstream errors. */
  interval(): number {
    const batches = Math.ceil(this.tracked.size / this.o.batchSize);
    const base = Math.max(this.o.baseIntervalMs, batches * REQUEST_SPACING_MS * 2);
    return Math.min(MAX_INTERVAL_MS, base * 2 ** Math.min(this.failures, 5));
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

  private schedule(): void {
    this.timer?.cancel();
    if (!this.running || this.tracked.size === 0) return;
    this.timer = this.o.clock.setTimeout(() => {
      void this.pollNow().finally(() => this.schedule());
    }, this.interval());
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
    const now = this.o.clock.now();
    const saved = await this.o.store.update(jobId, (job) => applyTask(job, task, now));
    if (saved) this.changed(saved);
    return saved;
  }

  private async runTick(): Promise<void> {
    const entries = [...this.tracked.entries()];
    if (entries.length === 0) return;
    await this.expireDeadlines(entries);
    const live = entries.filter(([id]) => this.tracked.has(id));
    try {
      for (let i = 0; i < live.length; i += this.o.batchSize) {
        if (i > 0) await this.o.clock.sleep(REQUEST_SPACING_MS);
        await this.pollBatch(live.slice(i, i + this.o.batchSize));
      }
      this.failures = 0;
    } catch (err) {
      this.failures += 1;
      this.o.logger.warn(
        { err: describe(err), failures: this.failures },
        'polling the upstream failed; backing off',
      );
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
    const tasks = await this.read(batch.map(([, t]) => t.taskId));
    const byId = new Map(tasks.map((task) => [task.id, task]));
    for (const [jobId, t] of batch) {
      const task = byId.get(t.taskId) ?? (this.batchSupported ? await this.o.reader.fetch(t.taskId) : null);
      if (task) {
        t.misses = 0;
        const saved = await this.applyTask(jobId, task);
        if (saved && saved.phase !== 'tracking') this.tracked.delete(jobId);
        continue;
      }
      t.misses += 1;
      if (t.misses >= (this.o.vanishAfterMisses ?? 3)) {
        this.o.logger.warn({ jobId, taskId: t.taskId }, 'the upstream no longer knows the task');
        await this.finish(jobId, (job) => failJob(job, { kind: 'vanished' }, this.o.clock.now()));
      }
    }
  }

  private async read(taskIds: string[]): Promise<MjTask[]> {
    if (this.batchSupported) {
      try {
        return await this.o.reader.fetchMany(taskIds);
      } catch (err) {
        if (!(err instanceof MjError && err.kind === 'unsupported')) throw err;
        this.batchSupported = false;
        this.o.logger.info('the upstream has no list-by-condition; fetching tasks one by one');
      }
    }
    const tasks: MjTask[] = [];
    for (const id of taskIds) {
      const task = await this.o.reader.fetch(id);
      if (task) tasks.push(task);
    }
    return tasks;
  }

  private async finish(jobId: string, change: (job: Job) => Job): Promise<void> {
    this.tracked.delete(jobId);
    const saved = await this.o.store.update(jobId, (job) => (job.phase === 'tracking' ? change(job) : null));
    if (saved) this.changed(saved);
  }

  private changed(job: Job): void {
    if (job.phase !== 'tracking') this.tracked.delete(job.id);
    try {
      this.o.onChange(job);
    } catch (err) {
      this.o.logger.error({ err: describe(err), jobId: job.id }, 'publishing a job change failed');
    }
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
