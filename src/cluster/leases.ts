import type { JobOwnership } from '../jobs/tracker.js';
import type { Logger } from '../log.js';
import type { Clock } from '../util/clock.js';
import type { LeaseStore } from './leaseStore.js';

export interface JobLeasesOptions {
  store: LeaseStore;
  /** This process's name in the leases (unique per process: host, pid, random). */
  owner: string;
  clock: Clock;
  logger: Logger;
  /**
   * The longest a dead process's jobs stay unpolled (LEASE_MS). A lease lives two thirds of it and is renewed
   * every sixth; the others look for expired leases every quarter: death → lease expired (≤ 2/3) → found at the
   * next scan (≤ 1/4), which leaves a twelfth of LEASE_MS for the scan itself to take the jobs.
   */
  leaseMs: number;
  /** The ids of the active jobs, whoever owns them (cheap: no record is read). */
  candidates: () => Promise<string[]>;
  /**
   * Of the active jobs nobody holds, those the tracker should follow (`tracking`): only these records are read.
   * Default: every one.
   */
  followable?: (freeIds: string[]) => Promise<string[]>;
  /** Start following a job whose lease this process just took over (load it, track it). */
  adopt: (jobId: string) => Promise<void>;
  /** Stop following a job whose lease this process lost (it could not renew in time). */
  lost: (jobId: string) => void;
}

/**
 * Each active job is owned by exactly one live process: the tracker claims a lease before it polls a job,
 * renews its leases while it lives, releases them when a job ends or the process stops (handover), and takes
 * over the expired leases of processes that died.
 */
export class JobLeases implements JobOwnership {
  private readonly held = new Set<string>();
  private timers: Array<{ cancel(): void }> = [];
  private running = false;
  private takeovers = 0;

  constructor(private readonly o: JobLeasesOptions) {}

  get ttlMs(): number {
    return Math.ceil((this.o.leaseMs * 2) / 3);
  }

  /** Leases this process holds. */
  get count(): number {
    return this.held.size;
  }

  /** Jobs this process took over from others since it started. */
  get takenOver(): number {
    return this.takeovers;
  }

  owns(jobId: string): boolean {
    return this.held.has(jobId);
  }

  async claim(jobId: string): Promise<boolean> {
    if (this.held.has(jobId)) return true;
    const [taken] = await this.o.store.acquire([jobId], this.o.owner, this.ttlMs);
    if (taken) this.held.add(jobId);
    return taken !== undefined;
  }

  release(jobId: string): void {
    if (!this.held.delete(jobId)) return;
    this.o.store
      .release([jobId], this.o.owner)
      .catch((err: unknown) => this.o.logger.warn({ err, jobId }, 'could not release a job lease'));
  }

  start(): void {
    this.running = true;
    this.every(Math.ceil(this.o.leaseMs / 6), () => this.renew());
    this.every(Math.ceil(this.o.leaseMs / 4), () => this.scan());
  }

  /** Stops renewing and gives every lease up at once, so the others take the jobs without waiting for expiry. */
  async stop(): Promise<void> {
    this.running = false;
    for (const t of this.timers) t.cancel();
    this.timers = [];
    const ids = [...this.held];
    this.held.clear();
    if (ids.length > 0) await this.o.store.release(ids, this.o.owner);
    this.o.logger.info({ released: ids.length }, 'job leases handed over');
  }

  /** Extends every lease held; a lease that could not be renewed in time is another process's now. */
  async renew(): Promise<void> {
    const ids = [...this.held];
    if (ids.length === 0) return;
    const kept = new Set(await this.o.store.renew(ids, this.o.owner, this.ttlMs));
    for (const id of ids) {
      if (kept.has(id) || !this.held.has(id)) continue;
      this.held.delete(id);
      this.o.logger.warn({ jobId: id }, 'a job lease was lost; another process follows the job');
      this.o.lost(id);
    }
  }

  /** Takes over the jobs nobody holds (their process died or handed them over) and follows them. */
  async scan(): Promise<void> {
    const ids = (await this.o.candidates()).filter((id) => !this.held.has(id));
    const free = ids.length > 0 ? await this.o.store.free(ids) : [];
    const wanted = free.length > 0 && this.o.followable ? await this.o.followable(free) : free;
    const taken = wanted.length > 0 ? await this.o.store.acquire(wanted, this.o.owner, this.ttlMs) : [];
    this.o.logger.debug({ others: ids.length, free: free.length, taken: taken.length }, 'job leases scanned');
    for (const id of taken) {
      this.held.add(id);
      this.takeovers += 1;
      await this.o.adopt(id).catch((err: unknown) => {
        this.o.logger.error({ err, jobId: id }, 'could not take over a job');
        this.release(id);
      });
    }
    if (taken.length > 0) this.o.logger.info({ jobs: taken.length }, 'job leases taken over');
  }

  private every(ms: number, work: () => Promise<void>): void {
    const loop = () => {
      const timer = this.o.clock.setTimeout(() => {
        this.timers = this.timers.filter((t) => t !== timer);
        void work()
          .catch((err: unknown) => this.o.logger.warn({ err }, 'job lease upkeep failed'))
          .finally(() => {
            if (this.running) loop();
          });
      }, ms);
      this.timers.push(timer);
    };
    loop();
  }
}
