import type { Logger } from '../log.js';
import type { SubmitResult } from '../upstream/types.js';
import type { Clock } from '../util/clock.js';
import { type JobEventBus, saveChange } from './events.js';
import {
  admission,
  dispatchable,
  isCancellable,
  type LimitSettings,
  Load,
  positionOf,
  positions,
  quotaApplies,
  quotaDay,
  type Refusal,
  type Requester,
  type UsageStore,
} from './limits.js';
import type { Jobs } from './service.js';
import type { JobStore } from './store.js';
import type { Job } from './types.js';

/** The one submit of a job. */
export type Send = () => Promise<SubmitResult>;

/** A request the limits refuse; `refusal` says why (the Discord layer words it). */
export class LimitError extends Error {
  override name = 'LimitError';
  constructor(readonly refusal: Refusal) {
    super(refusal.reason);
  }
}

export interface QueueOptions {
  store: JobStore;
  jobs: Jobs;
  usage: UsageStore;
  clock: Clock;
  logger: Logger;
  settings: LimitSettings;
  /**
   * The submit of a queued job whose submit is no longer held in memory (the bot restarted while it waited):
   * rebuilt from its record. Throws when it cannot be (the job then ends as `not_sent`).
   */
  rebuild: (job: Job) => Promise<Send>;
  /**
   * The hub: the queue announces the jobs it changes there (released, moved up in line) and hears of jobs that
   * stop holding a slot (paused, finished, failed), which may let waiting jobs go.
   */
  events: JobEventBus;
  /**
   * Several processes: runs a decision under a lock they share (src/cluster/admission.ts), so limits hold across
   * them and a waiting job is released once. Absent: decisions are serialised in this process only.
   */
  lock?: <T>(work: () => Promise<T>) => Promise<T>;
}

/**
 * The local queue: decides whether a request runs now, waits or is refused (per-user and per-server
 * concurrency, the daily quota, the queue's caps), and starts waiting jobs when a slot frees. Queued jobs are
 * job records in phase `queued` in the store, so the queue survives a restart; their order is their age.
 * Decisions are serialised in-process, so two requests never take the same slot.
 */
export class LocalQueue {
  private chain: Promise<unknown> = Promise.resolve();
  /** Submits of queued jobs, kept from their request (they carry downloaded images). */
  private readonly held = new Map<string, Send>();
  private pumping: Promise<void> | null = null;
  private again = false;
  private readonly sending = new Set<Promise<unknown>>();
  /** Submits under way, by job: a cancel waits for the answer before it decides. */
  private readonly submits = new Map<string, Promise<Job>>();
  private stopped = false;

  constructor(private readonly o: QueueOptions) {
    // A job that no longer holds a slot (final, paused) may let waiting jobs go.
    for (const type of ['paused', 'finished', 'failed'] as const) o.events.on(type, () => void this.pump());
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const fn = () => this.locked(work);
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** `work` under the processes' shared lock, if any. */
  private locked<T>(work: () => Promise<T>): Promise<T> {
    return this.o.lock ? this.o.lock(work) : work();
  }

  /**
   * The load a decision for `r` needs: on Redis from a few counters while nobody waits (the common case, one
   * small read), else every active job (the queue's order then matters).
   */
  private async loadFor(r: Requester): Promise<Load> {
    const counts = await this.o.store.activeCounts(r.userId, r.guildId);
    if (counts?.complete && counts.queued === 0) return Load.ofCounts(counts, r, this.o.settings);
    return new Load(await this.o.store.activeView());
  }

  /** Jobs started today by `userId` and the quota left (null: no quota for them). */
  async usage(r: Requester): Promise<{ used: number; left: number | null; quota: number; renewsAt: number }> {
    const used = await this.o.usage.used(r.userId);
    const quota = this.o.settings.dailyQuota;
    const { renewsAt } = quotaDay(this.o.clock.now(), this.o.settings.resetHourUtc);
    const left = quotaApplies(this.o.settings, r) ? Math.max(0, quota - used) : null;
    return { used, left, quota, renewsAt };
  }

  /** What the limits say of `r` now, with the load it was decided on (the load and the quota read side by side). */
  private async decide(r: Requester): Promise<{ load: Load; decision: Refusal | 'run' | 'queue' }> {
    const [load, { left, quota, renewsAt }] = await Promise.all([this.loadFor(r), this.usage(r)]);
    if (left === 0) return { load, decision: { reason: 'quota', quota, renewsAt } };
    return { load, decision: admission(load, this.o.settings, r) };
  }

  /** An early answer that changes nothing: throws `LimitError` when `r` would be refused now. */
  async precheck(r: Requester): Promise<void> {
    const { decision } = await this.decide(r);
    if (typeof decision === 'object') throw new LimitError(decision);
  }

  /**
   * Admits a request: `create` saves its job as `submitting` (run it now with {@link run}) or `queued` (it waits;
   * `send` is kept for when its turn comes). Counts it in today's usage.
   * @throws LimitError when the quota is used up or the queue is full.
   */
  admit(
    r: Requester,
    create: (start: { phase: 'queued' | 'submitting'; waitingPosition?: number }) => Promise<Job>,
    send: Send,
  ): Promise<{ job: Job; queued: boolean }> {
    return this.serial(async () => {
      const { load, decision } = await this.decide(r);
      if (typeof decision === 'object') {
        this.o.logger.info(
          { userId: r.userId, guildId: r.guildId, reason: decision.reason },
          'request refused by a limit',
        );
        throw new LimitError(decision);
      }
      const queued = decision === 'queue';
      const job = await create(
        queued ? { phase: 'queued', waitingPosition: positionOf(load.queued, r) } : { phase: 'submitting' },
      );
      await this.o.usage.add(r.userId, 1, job.createdAt);
      if (queued) {
        this.held.set(job.id, send);
        this.o.logger.info(
          { jobId: job.id, userId: r.userId, position: job.waitingPosition ?? null },
          'job waits in the local queue',
        );
      }
      return { job, queued };
    });
  }

  /** Sends an admitted job's one submit. A submit the upstream surely did not take gives its usage back. */
  async run(job: Job, send: Send): Promise<Job> {
    const submit = this.o.jobs.submit(job, send);
    this.submits.set(job.id, submit);
    const after = await submit.finally(() => this.submits.delete(job.id));
    if (after.phase === 'failed' && after.failure?.kind !== 'unknown_outcome') {
      await this.locked(() => this.o.usage.add(after.ownerId, -1, after.createdAt));
    }
    return after;
  }

  /**
   * Starts every waiting job that fits now and brings the positions of the others up to date. Calls made
   * while a pass runs are folded into one more pass.
   */
  pump(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.pumping) {
      this.again = true;
      return this.pumping;
    }
    this.pumping = (async () => {
      do {
        this.again = false;
        await this.pass().catch((err) => this.o.logger.error({ err }, 'local queue pass failed'));
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.pumping = null;
    });
    return this.pumping;
  }

  private async pass(): Promise<void> {
    const started = await this.serial(async () => {
      const counts = await this.o.store.activeCounts('', null);
      if (counts?.complete && counts.queued === 0) return []; // nobody waits: nothing to start or move
      const load = new Load(await this.o.store.activeView());
      const go = dispatchable(load, this.o.settings);
      const out: Job[] = [];
      const now = this.o.clock.now();
      for (const job of go) {
        const saved = await this.save(job.id, (j) =>
          j.phase === 'queued' ? { ...j, phase: 'submitting', waitingPosition: null, updatedAt: now } : null,
        );
        if (saved) out.push(saved);
      }
      const waiting = load.queued.filter((j) => !go.includes(j));
      for (const [id, position] of positions(waiting)) {
        await this.save(id, (j) =>
          j.phase === 'queued' && j.waitingPosition !== position
            ? { ...j, waitingPosition: position, updatedAt: now }
            : null,
        );
      }
      return out;
    });
    for (const job of started) {
      const sent = this.dispatch(job).finally(() => this.sending.delete(sent));
      this.sending.add(sent);
    }
  }

  /** Saves a change the queue makes (none when `change` gives null) and announces it on the hub. */
  private async save(jobId: string, change: (job: Job) => Job | null): Promise<Job | null> {
    const event = await saveChange(this.o.store, jobId, change);
    if (event) this.o.events.emit(event);
    return event?.job ?? null;
  }

  private async dispatch(job: Job): Promise<void> {
    let send = this.held.get(job.id);
    this.held.delete(job.id);
    if (!send) {
      try {
        send = await this.o.rebuild(job);
      } catch (err) {
        this.o.logger.warn({ jobId: job.id, err }, 'a queued job could not be rebuilt after a restart');
        await this.o.jobs.end(job.id, { kind: 'not_sent' });
        await this.locked(() => this.o.usage.add(job.ownerId, -1, job.createdAt));
        return;
      }
    }
    this.o.logger.info({ jobId: job.id, userId: job.ownerId }, 'queued job starts');
    await this.run(job, send).catch((err) =>
      this.o.logger.error({ jobId: job.id, err }, 'could not send a queued job'),
    );
  }

  /**
   * Cancels a job that waits in the queue (its usage is given back) or that the upstream has not started
   * (the bot stops tracking it); a job being sent is cancelled once the upstream answered. Returns the ended
   * job, or null when it can no longer be cancelled.
   */
  async cancel(jobId: string): Promise<Job | null> {
    await this.submits.get(jobId)?.catch(() => undefined);
    return this.serial(async () => {
      const before = await this.o.store.get(jobId);
      // A job still `submitting` here is between its dispatch and its send: too late to stop it cleanly.
      const allowed = (j: Job) => j.phase !== 'submitting' && isCancellable(j);
      const ended = await this.o.jobs.end(jobId, { kind: 'cancelled' }, allowed);
      if (ended && before?.phase === 'queued') {
        this.held.delete(jobId);
        await this.o.usage.add(ended.ownerId, -1, ended.createdAt);
      }
      return ended;
    });
  }

  /** Resolves when no pass runs and every submit the queue started has its answer. */
  async idle(): Promise<void> {
    while (this.pumping || this.sending.size > 0) {
      await this.pumping;
      await Promise.allSettled([...this.sending]);
    }
  }

  /** No more passes (shutdown); waits for submits under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.idle();
  }
}
