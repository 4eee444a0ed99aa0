import { randomBytes } from 'node:crypto';
import type { Logger } from '../log.js';
import { MjError } from '../upstream/errors.js';
import type { BotType, Mode, SubmitResult } from '../upstream/types.js';
import type { Clock } from '../util/clock.js';
import { failJob } from './lifecycle.js';
import type { JobStore } from './store.js';
import type { Tracker } from './tracker.js';
import type { Job, JobFailure, JobKind, MessageRef } from './types.js';

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
}

export interface JobsOptions {
  store: JobStore;
  tracker: Tracker;
  clock: Clock;
  logger: Logger;
  deadlineMs: number;
  /** Called after a job changed outside the tracker (submitted, refused, resumed as failed). */
  onChange: (job: Job) => void;
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
    default:
      return { kind: 'rejected', detail: err.description || undefined };
  }
}

/** The domain's entry points: create jobs, submit them once, resume them after a restart. */
export class Jobs {
  constructor(private readonly o: JobsOptions) {}

  get store(): JobStore {
    return this.o.store;
  }

  /** A new job record in phase `submitting`, saved. */
  async create(init: NewJob): Promise<Job> {
    const now = this.o.clock.now();
    const job: Job = {
      id: newJobId(),
      kind: init.kind,
      taskId: null,
      phase: 'submitting',
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
    };
    await this.o.store.save(job);
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
    let result: SubmitResult;
    try {
      result = await send();
    } catch (err) {
      return this.refused(job.id, err);
    }
    return this.accepted(job.id, result);
  }

  /** Records an accepted submit (a new task, or a modal confirmed) and tracks the job. */
  async accepted(
    jobId: string,
    result: SubmitResult,
    patch: Partial<Pick<Job, 'prompt'>> = {},
  ): Promise<Job> {
    const now = this.o.clock.now();
    const saved = await this.save(jobId, (j) => ({
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
    this.o.logger.info({ jobId, taskId: result.taskId, kind: saved.kind, outcome: result.kind }, 'submitted');
    this.o.tracker.track(saved);
    return saved;
  }

  /** Records a refused or failed submit as the job's end, with the reason the user will read. */
  async refused(jobId: string, err: unknown): Promise<Job> {
    const failure = failureOfSubmit(err);
    const level = failure.kind === 'auth' ? 'error' : 'warn';
    this.o.logger[level]({ jobId, failure: failure.kind, err: String(err) }, 'submit failed');
    return this.save(jobId, (j) => failJob(j, failure, this.o.clock.now()));
  }

  private async save(jobId: string, change: (job: Job) => Job): Promise<Job> {
    const saved = await this.o.store.update(jobId, change);
    if (!saved) throw new Error(`job ${jobId} vanished from the store`);
    this.o.onChange(saved);
    return saved;
  }

  /**
   * At start: every active job goes back to the tracker. A job caught mid-submit cannot be told apart from one
   * the upstream accepted, so it ends as `unknown_outcome` instead of being submitted again.
   */
  async resume(): Promise<{ tracked: number; waiting: number; abandoned: number }> {
    const counts = { tracked: 0, waiting: 0, abandoned: 0 };
    for (const job of await this.o.store.activeJobs()) {
      if (job.phase === 'tracking') {
        this.o.tracker.track(job);
        counts.tracked += 1;
      } else if (job.phase === 'modal') {
        counts.waiting += 1;
      } else {
        await this.save(job.id, (j) => failJob(j, { kind: 'unknown_outcome' }, this.o.clock.now()));
        counts.abandoned += 1;
      }
    }
    this.o.logger.info(counts, 'resumed active jobs');
    return counts;
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
