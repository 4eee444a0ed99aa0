import {
  jittered,
  type PollRates,
  pollPeriod,
  requestSpacing,
  TaskLists,
  type TaskReader,
} from '../jobs/taskLists.js';
import type { Tracker } from '../jobs/tracker.js';
import type { Logger } from '../log.js';
import type { MjTask } from '../upstream/types.js';
import type { Clock } from '../util/clock.js';
import type { LeaseStore } from './leaseStore.js';
import { rankOfMark, taskMark, unapplied } from './taskOrder.js';

/** The lease of the one process that reads every tracked task for all (kept beside the job leases). */
export const READER_LEASE = '@reader';
/** A state already applied is handed over again after this many rounds (a save that failed after the check). */
const REFRESH_ROUNDS = 20;
/** Every this many rounds the reader also looks for tracking jobs an older version saved (a costlier read). */
const RECHECK_ROUNDS = 20;

/** What one round found for the processes that follow the jobs. */
export interface ReadNews {
  /** Task states not applied yet (or not handed over for a while), with their job. */
  tasks: Array<{ jobId: string; task: MjTask }>;
  /** Jobs whose task the upstream no longer knows (missing from `vanishAfterMisses` reads in a row). */
  vanished: string[];
}

/** The shared state a reader works from (Redis: `redisReadState` in ./index.ts). */
export interface ReadState {
  /** The task id of every job in `tracking`, by job id; `older`: also jobs an older version saved. */
  tracking(older: boolean): Promise<Map<string, string>>;
  /** The mark (`taskMark`) of the state last applied to each job; null where none was. */
  marks(jobIds: readonly string[]): Promise<(string | null)[]>;
  /** Tells every process that a reader is at work, for `ttlMs`. */
  beat(owner: string, ttlMs: number): Promise<void>;
  /** Whether a reader beat within its ttl. */
  fresh(): Promise<boolean>;
  /** Takes `owner`'s beat back, so the processes read their own tasks at once. */
  end(owner: string): Promise<void>;
}

export interface SharedReadsOptions extends PollRates {
  owner: string;
  clock: Clock;
  logger: Logger;
  leases: LeaseStore;
  /** LEASE_MS: the reader's lease lives two thirds of it and is renewed (or sought) every sixth. */
  leaseMs: number;
  state: ReadState;
  reader: TaskReader;
  batchSize: number;
  /** Reads in a row that miss a task before its job is reported vanished (default 3, as the tracker). */
  vanishAfterMisses?: number;
  jitter?: number;
  random?: () => number;
  /** Hands one batch's news to the processes that follow the jobs (this one's own at once). */
  deliver: (news: ReadNews) => Promise<void>;
}

/**
 * Several processes, one reader: the process holding the `@reader` lease reads every tracked task of the cluster
 * in full batches, once per period (as one process would), and hands each state not yet applied to the process
 * that follows its job. The others read nothing while its beat is fresh (`covered`); when it dies they read their
 * own jobs until another process takes the lease. So the upstream sees no more requests than from one process.
 * A state handed to a process that died meanwhile is handed again at the next round (it is still unapplied).
 */
export class SharedReads {
  private readonly lists: TaskLists;
  private readonly misses = new Map<string, number>();
  /** The round in which each job's state was last handed over. */
  private readonly sent = new Map<string, number>();
  private reading = false;
  private running = false;
  private rounds = 0;
  private failures = 0;
  /** The period of the round under way (the next starts that long after it started). */
  private lastPeriod = 0;
  private upkeep: { cancel(): void } | null = null;
  private next: { cancel(): void } | null = null;
  private current: Promise<void> = Promise.resolve();

  constructor(private readonly o: SharedReadsOptions) {
    this.lists = new TaskLists(o);
  }

  /** Whether this process is the reader now. */
  get isReader(): boolean {
    return this.reading;
  }

  /** Seeks the reader's lease now and every sixth of LEASE_MS (renewing it while held). */
  start(): void {
    this.running = true;
    const loop = (): void => {
      void this.keepLease()
        .catch((err: unknown) => this.o.logger.warn({ err }, 'could not keep or seek the reader lease'))
        .finally(() => {
          if (this.running) this.upkeep = this.o.clock.setTimeout(loop, Math.ceil(this.o.leaseMs / 6));
        });
    };
    loop();
  }

  /** Stops reading and gives the lease and the beat up, so another process reads at once (SIGTERM). */
  async stop(): Promise<void> {
    this.running = false;
    this.upkeep?.cancel();
    const was = this.reading;
    this.resign();
    await this.current;
    if (!was) return;
    await this.o.state.end(this.o.owner);
    await this.o.leases.release([READER_LEASE], this.o.owner);
    this.o.logger.info('stopped reading tasks for the other processes');
  }

  private get ttlMs(): number {
    return Math.ceil((this.o.leaseMs * 2) / 3);
  }

  private async keepLease(): Promise<void> {
    if (this.reading) {
      const kept = await this.o.leases.renew([READER_LEASE], this.o.owner, this.ttlMs);
      if (kept.length === 0) {
        this.o.logger.warn('the reader lease was lost; another process reads the tasks');
        this.resign();
      }
      return;
    }
    const [taken] = await this.o.leases.acquire([READER_LEASE], this.o.owner, this.ttlMs);
    if (!taken) return;
    if (!this.running) {
      // Stopped while asking: give it back, or the others would wait out its TTL.
      await this.o.leases.release([READER_LEASE], this.o.owner);
      return;
    }
    this.reading = true;
    this.rounds = 0;
    this.o.logger.info('this process reads every tracked task for the others');
    this.schedule(0);
  }

  private resign(): void {
    this.reading = false;
    this.next?.cancel();
    this.next = null;
    this.misses.clear();
    this.sent.clear();
  }

  private period(tasks: number): number {
    return pollPeriod(this.o, Math.ceil(tasks / this.o.batchSize), this.failures);
  }

  /** Rounds at a fixed rate: one starts a (jittered) period after the previous one started. */
  private schedule(wait: number): void {
    this.next = this.o.clock.setTimeout(
      () => {
        const started = this.o.clock.now();
        this.current = this.round()
          .catch((err: unknown) => {
            this.failures += 1;
            this.o.logger.warn({ err, failures: this.failures }, 'a shared read round failed; backing off');
          })
          .finally(() => {
            if (this.reading) this.schedule(Math.max(0, this.lastPeriod - (this.o.clock.now() - started)));
          });
      },
      jittered(wait, this.o.jitter ?? 0.1, this.o.random ?? Math.random),
    );
  }

  /** One round: every tracked task read in batches; each batch's news handed over as soon as it is read. */
  private async round(): Promise<void> {
    const tracking = await this.o.state.tracking(this.rounds % RECHECK_ROUNDS === 0);
    this.rounds += 1;
    for (const id of [...this.sent.keys()]) if (!tracking.has(id)) this.sent.delete(id);
    for (const id of [...this.misses.keys()]) if (!tracking.has(id)) this.misses.delete(id);
    // A job nobody holds (its process died or handed it over) waits for the process that takes it over: read
    // before, its news would reach nobody (and once a new owner holds it, a state not applied is still handed).
    const free = new Set(await this.o.leases.free([...tracking.keys()]));
    const entries = [...tracking].filter(([jobId]) => !free.has(jobId));
    this.lastPeriod = this.period(entries.length);
    // The processes stop reading their own while this beat lives; two periods leave room for a slow round.
    await this.o.state.beat(this.o.owner, 2 * this.lastPeriod + 1_000);
    const spacing = requestSpacing(this.lastPeriod, Math.ceil(entries.length / this.o.batchSize));
    let failed: unknown = null;
    for (let i = 0; i < entries.length && this.reading; i += this.o.batchSize) {
      if (i > 0) await this.o.clock.sleep(spacing);
      try {
        await this.o.deliver(await this.readBatch(entries.slice(i, i + this.o.batchSize)));
      } catch (err) {
        failed = err;
      }
    }
    if (failed !== null) throw failed;
    if (entries.length > 0) this.failures = 0;
  }

  private async readBatch(batch: Array<[string, string]>): Promise<ReadNews> {
    const listed = await this.lists.list(batch.map(([, taskId]) => taskId));
    const read: Array<{ jobId: string; task: MjTask }> = [];
    const vanished: string[] = [];
    for (const [jobId, taskId] of batch) {
      const task = listed.get(taskId) ?? (await this.readOne(jobId, taskId));
      if (task === undefined) continue;
      if (task === null) {
        const misses = (this.misses.get(jobId) ?? 0) + 1;
        this.misses.set(jobId, misses);
        if (misses >= (this.o.vanishAfterMisses ?? 3)) vanished.push(jobId);
        continue;
      }
      this.misses.delete(jobId);
      read.push({ jobId, task });
    }
    const marks = await this.o.state.marks(read.map((r) => r.jobId));
    const tasks = read.filter(({ jobId, task }, i) => this.due(jobId, taskMark(task), marks[i] ?? null));
    for (const { jobId } of tasks) this.sent.set(jobId, this.rounds);
    return { tasks, vanished };
  }

  /**
   * Whether to hand a state over: not applied yet, or (not older and) not handed over for REFRESH_ROUNDS rounds,
   * in case it was checked but not saved. A job seen first is given a random place in the refresh cycle.
   */
  private due(jobId: string, mark: string, recorded: string | null): boolean {
    if (unapplied(mark, recorded)) return true;
    if (recorded !== null && rankOfMark(mark) < rankOfMark(recorded)) return false;
    const last = this.sent.get(jobId);
    if (last === undefined) {
      this.sent.set(jobId, this.rounds - Math.floor((this.o.random ?? Math.random)() * REFRESH_ROUNDS));
      return false;
    }
    return this.rounds - last >= REFRESH_ROUNDS;
  }

  /** A single read (the task was not listed); undefined when it failed (tried again next round). */
  private async readOne(jobId: string, taskId: string): Promise<MjTask | null | undefined> {
    try {
      return await this.o.reader.fetch(taskId);
    } catch (err) {
      this.o.logger.warn({ jobId, taskId, err }, 'reading a task failed; retrying next round');
      return undefined;
    }
  }
}

/** Splits a round's news into the jobs this process follows (`follows`) and the others'. Pure. */
export function splitNews(
  news: ReadNews,
  follows: (jobId: string) => boolean,
): { mine: ReadNews; others: ReadNews } {
  const part = (own: boolean): ReadNews => ({
    tasks: news.tasks.filter((read) => follows(read.jobId) === own),
    vanished: news.vanished.filter((jobId) => follows(jobId) === own),
  });
  return { mine: part(true), others: part(false) };
}

/** Applies news to the jobs `tracker` follows, all at once (they are independent); the others' are left. */
export async function applyNews(
  tracker: Pick<Tracker, 'applyRead' | 'vanish'>,
  news: ReadNews,
  logger: Logger,
): Promise<void> {
  const applied = await Promise.allSettled([
    ...news.tasks.map((read) => tracker.applyRead(read.jobId, read.task)),
    ...news.vanished.map((jobId) => tracker.vanish(jobId)),
  ]);
  for (const result of applied) {
    if (result.status === 'rejected') logger.warn({ err: result.reason }, 'could not apply a shared read');
  }
}
