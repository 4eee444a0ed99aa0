import { randomBytes } from 'node:crypto';
import type { Logger } from '../log.js';
import { MjError } from '../upstream/errors.js';
import type { BotType, MjTask, Mode, SubmitResult } from '../upstream/types.js';
import type { Clock } from '../util/clock.js';
import { type JobEvent, type JobEventBus, saveChange } from './events.js';
import { failJob, phaseOf } from './lifecycle.js';
import { RecentJobs } from './recentJobs.js';
import { snapshotOf } from './snapshot.js';
import type { JobStore } from './store.js';
import type { Tracker } from './tracker.js';
import {
  FINAL_PHASES,
  JOB_SCHEMA_VERSION,
  type Job,
  type JobFailure,
  type JobKind,
  type JobRequest,
  type MessageRef,
} from './types.js';

export interface NewJob {
  kind: JobKind;
  prompt: string;
  ownerId: string;
  locale: string;
  mode: Mode;
  botType?: BotType | null;
  message: MessageRef;
  parentJobId?: string | null;
  actionLabel?: string | null;
  parentMessageUrl?: string | null;
  imageCount?: number;
  /** The job's one submit (see `jobs/submit.ts`); kept so that it can be sent again. */
  request: JobRequest;
  /** The failed job this one repeats. */
  retryOf?: string | null;
  /** `queued` when a limit makes it wait in the local queue (default `submitting`), with its position. */
  phase?: 'queued' | 'submitting';
  waitingPosition?: number;
}

export interface JobsOptions {
  store: JobStore;
  tracker: Tracker;
  clock: Clock;
  logger: Logger;
  deadlineMs: number;
  /** Where the changes made here (submitted, refused, reopened, ended, resumed as failed) are announced. */
  events: JobEventBus;
  /**
   * Several processes: a job's submitter holds its lease while it submits, so that only a job whose submitter is
   * gone (lease free) and that is older than the submit timeout is ended as `unknown_outcome` (by whoever takes
   * it). Absent (one process): every job caught mid-submit at start is ended.
   */
  submitters?: { claim(jobId: string): Promise<boolean>; release(jobId: string): void; timeoutMs: number };
}

/** Short, url-safe, unique enough for custom_ids. */
export function newJobId(): string {
  return randomBytes(9).toString('base64url');
}

/** Maps a refused or failed submit to what the user is told. Nothing here is ever retried. */
export function failureOfSubmit(err: unknown): JobFailure {
  if (!(err instanceof MjError)) return { kind: 'unknown_outcome' };
  switch (err.kind) {
    case 'banned':
      return { kind: 'banned', detail: err.bannedWord ?? undefined };
    case 'queue_full':
      return { kind: 'queue_full' };
    case 'auth':
      return { kind: 'auth' };
    case 'network':
    case 'unavailable':
      return { kind: 'unavailable' };
    case 'timeout':
    case 'unknown_outcome':
      return { kind: 'unknown_outcome' };
    case 'not_found':
      // Only actions name a task: the image whose button was pressed is gone upstream.
      return { kind: 'parent_vanished' };
    default:
      return { kind: 'rejected', detail: err.description || undefined };
  }
}

/** The domain's entry points: create jobs, submit them once, resume them after a restart. */
export class Jobs {
  private lastCreatedAt = 0;
  private readonly recent: RecentJobs;
  constructor(private readonly o: JobsOptions) {
    this.recent = new RecentJobs(o.store.keyv);
  }

  get store(): JobStore {
    return this.o.store;
  }

  /** A new job record in phase `submitting`, saved. */
  async create(init: NewJob): Promise<Job> {
    // Creation times are strictly increasing, so "oldest first" (the local queue's order) never ties.
    const now = Math.max(this.o.clock.now(), this.lastCreatedAt + 1);
    this.lastCreatedAt = now;
    const job: Job = {
      schemaVersion: JOB_SCHEMA_VERSION,
      id: newJobId(),
      kind: init.kind,
      taskId: null,
      phase: init.phase ?? 'submitting',
      prompt: init.prompt,
      ownerId: init.ownerId,
      locale: init.locale,
      mode: init.mode,
      botType: init.botType ?? null,
      message: init.message,
      parentJobId: init.parentJobId ?? null,
      actionLabel: init.actionLabel ?? null,
      parentMessageUrl: init.parentMessageUrl ?? null,
      task: null,
      failure: null,
      imageCount: init.imageCount ?? 0,
      createdAt: now,
      updatedAt: now,
      deadlineAt: now + this.o.deadlineMs,
      lastProgressAt: now,
      request: init.request,
      ...(init.retryOf ? { retryOf: init.retryOf } : {}),
      ...(init.waitingPosition ? { waitingPosition: init.waitingPosition } : {}),
    };
    await this.o.store.save(job);
    // `/show`'s autocomplete offers the user's recent jobs; a failure there never stops the job.
    await this.recent
      .add(job.ownerId, job.id)
      .catch((err) => this.o.logger.warn({ err, jobId: job.id }, 'could not note the recent job'));
    return job;
  }

  /** Records where the job's message is once Discord created it. */
  attachMessage(jobId: string, messageId: string): Promise<Job | null> {
    return this.o.store.update(jobId, (job) =>
      job.message.messageId === messageId ? null : { ...job, message: { ...job.message, messageId } },
    );
  }

  /** Discord said the message is gone: keep the job, stop editing. */
  markMessageGone(jobId: string): Promise<Job | null> {
    return this.o.store.update(jobId, (job) =>
      job.message.gone ? null : { ...job, message: { ...job.message, gone: true } },
    );
  }

  /** The job's final state reached Discord (or cannot: see `gone`), so a restart need not show it again. */
  markFinalShown(jobId: string): Promise<Job | null> {
    return this.o.store.update(jobId, (job) =>
      job.message.finalShown || !FINAL_PHASES.has(job.phase)
        ? null
        : { ...job, message: { ...job.message, finalShown: true } },
    );
  }

  /** The bot lost access to the job's channel: stop editing there; the result goes to the requester's DMs. */
  markNoAccess(jobId: string): Promise<Job | null> {
    return this.o.store.update(jobId, (job) =>
      job.message.noAccess ? null : { ...job, message: { ...job.message, noAccess: true } },
    );
  }

  /** The job's message now lives elsewhere (its result was posted in the requester's DMs). */
  moveMessage(jobId: string, channelId: string, messageId: string): Promise<Job | null> {
    return this.o.store.update(jobId, (job) => ({
      ...job,
      message: { guildId: null, channelId, messageId, interaction: null },
    }));
  }

  /** The interaction token was refused: use the channel route from now on. */
  dropToken(jobId: string): Promise<Job | null> {
    return this.o.store.update(jobId, (job) =>
      job.message.interaction ? { ...job, message: { ...job.message, interaction: null } } : null,
    );
  }

  /**
   * Sends the job's one submit and records its outcome: accepted → tracked; modal → waits for the user's edit;
   * refused or unknown → failed with the reason. The submit is never repeated here.
   */
  async submit(job: Job, send: () => Promise<SubmitResult>): Promise<Job> {
    const submitters = this.o.submitters;
    // A failed claim only means the lease store is unreachable now: the submit goes on (it is the user's job).
    await submitters?.claim(job.id).catch(() => false);
    let saved: Job | null = null;
    try {
      let result: SubmitResult;
      try {
        result = await send();
      } catch (err) {
        saved = await this.refused(job.id, err);
        return saved;
      }
      saved = await this.accepted(job.id, result);
      return saved;
    } finally {
      // A tracked job's lease stays with the tracker (it claimed the same lease). Any other outcome lets it go,
      // an outcome that could not be saved too: the job then ends as unknown outcome once the submit timeout
      // passed (see `abandon`), instead of being held, unsubmitted and unended, while this process lives.
      if (saved?.phase !== 'tracking') submitters?.release(job.id);
    }
  }

  /** Records an accepted submit (a new task, or a modal confirmed) and tracks the job. */
  async accepted(
    jobId: string,
    result: SubmitResult,
    patch: Partial<Pick<Job, 'prompt'>> = {},
  ): Promise<Job> {
    const now = this.o.clock.now();
    const event = await this.change(jobId, (j) => ({
      ...j,
      ...patch,
      taskId: result.taskId,
      phase: result.kind === 'modal' ? 'modal' : 'tracking',
      task:
        result.kind === 'modal'
          ? { ...emptySnapshot('MODAL'), finalPrompt: result.finalPrompt || null }
          : { ...emptySnapshot(''), queuePosition: result.queuePosition },
      updatedAt: now,
      lastProgressAt: now,
      deadlineAt: now + this.o.deadlineMs,
    }));
    const saved = event.job;
    this.o.logger.info({ jobId, taskId: result.taskId, kind: saved.kind, outcome: result.kind }, 'submitted');
    this.o.tracker.track(saved);
    this.o.events.emit(event);
    return saved;
  }

  /** Records a refused or failed submit as the job's end, with the reason the user will read. */
  async refused(jobId: string, err: unknown): Promise<Job> {
    const failure = failureOfSubmit(err);
    if (failure.kind === 'auth') {
      // The operator must act: say plainly what is wrong and what to change (the key itself is never logged).
      const httpStatus = err instanceof MjError ? err.httpStatus : null;
      this.o.logger.error(
        { jobId, failure: failure.kind, httpStatus },
        'the upstream refused the API key (MJ_API_KEY): check the key and its permissions',
      );
    }
    this.o.logger.warn({ jobId, failure: failure.kind, err }, 'submit failed');
    return this.save(jobId, (j) => failJob(j, failure, this.o.clock.now()));
  }

  /**
   * A user asked to check a failed job (unknown outcome, deadline) against the upstream, which still knows its
   * task: the job takes the task's state — finished, failed, or running again (tracked, with a new deadline).
   */
  async reopen(jobId: string, task: MjTask): Promise<Job> {
    const now = this.o.clock.now();
    const event = await this.change(jobId, (j) => {
      const snapshot = snapshotOf(task);
      const phase = phaseOf(snapshot.status);
      if (phase === 'failed') {
        const failure: JobFailure = { kind: 'upstream_failure', detail: snapshot.failReason ?? undefined };
        return {
          ...j,
          task: snapshot,
          failure,
          updatedAt: now,
          message: { ...j.message, finalShown: false },
        };
      }
      return {
        ...j,
        task: snapshot,
        phase,
        failure: null,
        updatedAt: now,
        lastProgressAt: now,
        deadlineAt: now + this.o.deadlineMs,
        message: { ...j.message, finalShown: false },
      };
    });
    const saved = event.job;
    this.o.logger.info(
      { jobId, taskId: saved.taskId, phase: saved.phase },
      'job checked against the upstream',
    );
    this.o.tracker.track(saved);
    this.o.events.emit(event);
    return saved;
  }

  /**
   * Ends a job that is not final with the bot's own reason (a cancel, a queued job that cannot be sent), when
   * `allowed` says so; the tracker lets it go. Returns null when it was final already or not allowed.
   */
  async end(
    jobId: string,
    failure: JobFailure,
    allowed: (job: Job) => boolean = () => true,
  ): Promise<Job | null> {
    const now = this.o.clock.now();
    const event = await saveChange(this.o.store, jobId, (j) =>
      !FINAL_PHASES.has(j.phase) && allowed(j) ? failJob(j, failure, now) : null,
    );
    if (!event) return null;
    this.o.tracker.untrack(jobId);
    this.o.logger.info({ jobId, failure: failure.kind, userId: event.job.ownerId }, 'job ended by the bot');
    this.o.events.emit(event);
    return event.job;
  }

  /** Saves a change of a job and returns the event it makes, for the caller to emit once it has done its part. */
  private async change(jobId: string, change: (job: Job) => Job): Promise<JobEvent> {
    const event = await saveChange(this.o.store, jobId, change);
    if (!event) throw new Error(`job ${jobId} vanished from the store`);
    return event;
  }

  /** Saves a change of a job and announces it on the hub. */
  private async save(jobId: string, change: (job: Job) => Job): Promise<Job> {
    const event = await this.change(jobId, change);
    this.o.events.emit(event);
    return event.job;
  }

  /**
   * At start: every active job goes back to the tracker. A job caught mid-submit cannot be told apart from one
   * the upstream accepted, so it ends as `unknown_outcome` instead of being submitted again.
   */
  async resume(): Promise<{ tracked: number; waiting: number; queued: number; abandoned: number }> {
    const counts = { tracked: 0, waiting: 0, queued: 0, abandoned: 0 };
    for (const job of await this.o.store.activeJobs()) {
      if (job.phase === 'queued') {
        // Nothing was sent for it: it waits in the local queue again (see LocalQueue).
        counts.queued += 1;
      } else if (job.phase === 'tracking') {
        this.o.tracker.track(job);
        counts.tracked += 1;
      } else if (job.phase === 'modal') {
        counts.waiting += 1;
      } else if (await this.abandon(job)) {
        counts.abandoned += 1;
      }
    }
    this.o.logger.info(counts, 'resumed active jobs');
    return counts;
  }

  /**
   * Several processes: ends the jobs whose submitter died mid-submit, of `jobs` (the cluster passes the active
   * jobs nobody holds a lease on, as often as it scans the leases).
   */
  async abandonStale(jobs: Job[]): Promise<number> {
    let abandoned = 0;
    for (const job of jobs) {
      if (job.phase === 'submitting' && (await this.abandon(job))) abandoned += 1;
    }
    if (abandoned > 0)
      this.o.logger.warn({ abandoned }, 'jobs whose submitter died ended as unknown outcome');
    return abandoned;
  }

  /**
   * A job caught mid-submit cannot be told apart from one the upstream accepted: it ends as `unknown_outcome`
   * rather than being sent again. With several processes only once its submitter is gone (its lease is free,
   * taken here) and the submit timeout has passed; a job another live process is submitting is left alone.
   */
  private async abandon(job: Job): Promise<boolean> {
    const submitters = this.o.submitters;
    if (submitters) {
      if (this.o.clock.now() - job.updatedAt < submitters.timeoutMs) return false;
      if (!(await submitters.claim(job.id))) return false;
    }
    try {
      const event = await saveChange(this.o.store, job.id, (j) =>
        j.phase === 'submitting' ? failJob(j, { kind: 'unknown_outcome' }, this.o.clock.now()) : null,
      );
      if (event) this.o.events.emit(event);
      return event !== null;
    } finally {
      submitters?.release(job.id);
    }
  }
}

function emptySnapshot(status: string) {
  return {
    status,
    progress: null,
    imageUrl: null,
    buttons: [],
    failReason: null,
    finalPrompt: null,
    promptEn: null,
    description: null,
    action: null,
    mode: null,
    finishTime: null,
  };
}
