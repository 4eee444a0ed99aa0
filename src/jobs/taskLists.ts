import type { Logger } from '../log.js';
import { MjError } from '../upstream/errors.js';
import type { MjTask } from '../upstream/types.js';

/** What a poller needs of the upstream: batched reads, with single reads as a fallback. */
export interface TaskReader {
  fetchMany(taskIds: string[]): Promise<MjTask[]>;
  fetch(taskId: string): Promise<MjTask | null>;
}

/**
 * Batched reads (list-by-condition), until the upstream proves it has none: from then on every list is empty and
 * the caller reads each task on its own (`reader.fetch`).
 */
export class TaskLists {
  private supported = true;

  constructor(private readonly o: { reader: TaskReader; logger: Logger }) {}

  /** The tasks of `taskIds` the upstream listed, by id (a task it did not list is not in the map). */
  async list(taskIds: string[]): Promise<Map<string, MjTask>> {
    if (!this.supported) return new Map();
    try {
      return new Map((await this.o.reader.fetchMany(taskIds)).map((task) => [task.id, task]));
    } catch (err) {
      if (!(err instanceof MjError && err.kind === 'unsupported')) throw err;
      this.supported = false;
      this.o.logger.info('the upstream has no list-by-condition; fetching tasks one by one');
      return new Map();
    }
  }
}

/** Longest pause between two batch requests of one round (they are spread over half the period at most). */
const REQUEST_SPACING_MS = 200;
/** The longest a polling period (or a task's retry wait) grows. */
export const MAX_PERIOD_MS = 60_000;

export interface PollRates {
  baseIntervalMs: number;
  /** Callbacks on: polling is the safety net and runs this many times slower (default 1). */
  safetyNetFactor?: number;
  /** Most poll requests per second, however many tasks there are (default 20): the period grows past it. */
  maxRequestsPerSecond?: number;
}

/**
 * The period of a polling loop reading `batches` batches a round (each task is read once per period): the base
 * interval (times the safety-net factor), longer only when the batches would exceed the request rate, doubled
 * after each failed round (`failures`), at most a minute. Pure.
 */
export function pollPeriod(rates: PollRates, batches: number, failures: number): number {
  const base = rates.baseIntervalMs * (rates.safetyNetFactor ?? 1);
  const byRate = (batches / (rates.maxRequestsPerSecond ?? 20)) * 1000;
  return Math.min(MAX_PERIOD_MS, Math.max(base, byRate) * 2 ** Math.min(failures, 5));
}

/** The pause between two batch requests of a round of `batches` batches over `periodMs`. Pure. */
export function requestSpacing(periodMs: number, batches: number): number {
  return Math.min(REQUEST_SPACING_MS, periodMs / 2 / Math.max(1, batches));
}

/** `ms` spread by ±`spread` (a fraction) with `random` in [0, 1). Pure. */
export function jittered(ms: number, spread: number, random: () => number): number {
  return Math.max(0, ms * (1 + spread * (2 * random() - 1)));
}
