import { DiscordAPIError, type REST, Routes } from 'discord.js';
import type { JobEventBus } from '../jobs/events.js';
import type { Jobs } from '../jobs/service.js';
import { FINAL_PHASES, type Job } from '../jobs/types.js';
import type { Logger } from '../log.js';
import { download } from '../media/download.js';
import { imageFileName, renderJob } from '../render/message.js';
import type { Clock } from '../util/clock.js';
import type { ChannelBudget, SharedBudget } from './budget.js';
import { LostAccess } from './lostAccess.js';
import type { ResultMailer } from './mailer.js';
import { Notifier } from './notify.js';
import { Redelivery } from './redelivery.js';
import { EditScheduler } from './scheduler.js';

export interface PublisherOptions {
  rest: REST;
  /**
   * The REST client for writes through an interaction's token (not counted against the bot-wide limit, see
   * `createTokenRest`); default `rest`.
   */
  tokenRest?: REST;
  jobs: Jobs;
  /** The hub: every job change announced there is shown on the job's message. */
  events: JobEventBus;
  budget: ChannelBudget;
  clock: Clock;
  logger: Logger;
  /** Largest file the bot uploads; a larger final image is linked instead. */
  uploadLimit: number;
  downloadTimeoutMs?: number;
  /** Waits between attempts of a write Discord did not take (5xx, network): first wait and cap. */
  retry?: { baseMs: number; maxMs: number };
  /** Writes across all channels (discord.js holds the bot to 50 requests/s); null for no global budget. */
  globalBudget?: ChannelBudget | null;
  /** Several processes: the budgets they share (src/cluster/budget.ts); null or absent for one process. */
  sharedBudget?: SharedBudget | null;
  /** Writes of each channel's window kept for final states, at least (default 3 of 5). */
  finalReserve?: number;
  /**
   * A private (ephemeral) result whose interaction token expired cannot be edited any more: its final state is
   * sent to the requester's DMs by the mailer instead (without one, it is not shown).
   */
  mailer?: Pick<ResultMailer, 'privateFinal'>;
}

type Files = Array<{ name: string; data: Buffer }> | undefined;

/** Progress (%) from which a job is likely to end within a window or two: its result gets a write kept free. */
const FINISHING_AT = 45;
/**
 * A job waiting in the local queue, or just released from it (`submitting` with `waitingPosition` null; a new job
 * that never waited has none): see `enqueue`.
 */
const movesInLine = (job: Job): boolean =>
  job.phase === 'queued' || (job.phase === 'submitting' && job.waitingPosition === null);
/** Final images downloaded ahead of their write, at most this many held at once. */
const MAX_PREFETCHED = 8;

/** Discord error codes that mean the message cannot be edited any more (message or channel deleted). */
const GONE = new Set([10003, 10008]);
/** The bot lost access to the channel: stop editing there, tell the requester, send the result to their DMs. */
const NO_ACCESS = new Set([50001, 50013]);
/** The interaction token is no longer valid: fall back to the channel route. */
const TOKEN_DEAD = new Set([50027, 10015]);
/** Attempts of a write that is not final before it is left to the job's next state. */
const MAX_ATTEMPTS = 3;

/**
 * Applies job states to their Discord messages: one queue per channel, latest state per message wins,
 * final states first, every write within the channel's budget. Channels drain independently, so a slow upload
 * in one never holds up another.
 */
export class Publisher {
  private readonly scheduler: EditScheduler<Job>;
  /** Final images being (or already) downloaded, by job, so the download never holds up a channel. */
  private readonly images = new Map<string, { url: string; files: Promise<Files> }>();
  private readonly gone = new Set<string>();
  /** What each message shows now (as sent), so a state that renders the same costs no request. */
  private readonly shown = new Map<string, string>();
  private readonly notifier: Notifier;
  private readonly redelivery: Redelivery;
  private readonly lostAccess: LostAccess;

  constructor(private readonly o: PublisherOptions) {
    this.scheduler = new EditScheduler<Job>({
      clock: o.clock,
      budget: o.budget,
      global: o.globalBudget ?? null,
      shared: o.sharedBudget ?? null,
      finalReserve: o.finalReserve ?? 3,
      newer: (candidate, current) => candidate.updatedAt >= current.updatedAt,
      send: (job) => this.write(job),
      onError: (err, edit) =>
        this.o.logger.error({ jobId: edit.key, err }, 'could not update the job message'),
    });
    this.notifier = new Notifier({ rest: o.rest, clock: o.clock, logger: o.logger });
    this.lostAccess = new LostAccess({
      jobs: o.jobs,
      notifier: this.notifier,
      logger: o.logger,
      finalImage: (job) => this.finalImage(job),
      onGone: (jobId) => this.gone.add(jobId),
    });
    this.redelivery = new Redelivery({
      clock: o.clock,
      logger: o.logger,
      baseMs: o.retry?.baseMs ?? 2_000,
      maxMs: o.retry?.maxMs ?? 60_000,
      maxAttempts: MAX_ATTEMPTS,
      resend: (jobId) => {
        this.o.jobs.store.get(jobId).then(
          (job) => job && this.publish(job),
          (err) => this.o.logger.error({ jobId, err }, 'could not reload the job to update it'),
        );
      },
    });
    o.events.on('*', ({ job }) => this.publish(job));
  }

  /** Writes waiting for another attempt after Discord did not take them. */
  get retrying(): number {
    return this.redelivery.pending;
  }

  /** Cancels pending retries (shutdown); final states not yet shown are shown again at the next start. */
  stop(): void {
    this.redelivery.stop();
  }

  /** Queues the job's latest state for its message; earlier unsent states of the same job are dropped. */
  publish(job: Job): void {
    void this.enqueue(job);
  }

  /** Queues the job's state and resolves once it (or a later state) reached Discord. */
  deliver(job: Job): Promise<void> {
    return this.enqueue(job);
  }

  /** Resolves when every queue is empty. */
  idle(): Promise<void> {
    return this.scheduler.idle();
  }

  private enqueue(job: Job): Promise<void> {
    if (job.message.gone || this.gone.has(job.id)) return Promise.resolve();
    return this.scheduler.submit({
      channelId: job.message.channelId,
      key: job.id,
      item: job,
      // A move in the local queue (a new position, released to start) is news the user waits for, and rare: it
      // may use the whole channel budget like a result, not only the share the final reserve leaves to progress.
      // A new job's first state is not: every job has one, and in a busy channel they would take the writes kept
      // for results (the deferral already shows the user that the bot is on it).
      final: FINAL_PHASES.has(job.phase) || movesInLine(job),
      soon: job.phase === 'tracking' && (job.task?.progress ?? 0) >= FINISHING_AT,
      // It replaces the deferral's "thinking…": before other jobs' progress, after results.
      first: job.phase === 'submitting',
      ready: this.prefetch(job),
      // Through the interaction's token while it lives: not a write of the bot-wide budget.
      bot: !this.notifier.tokenValid(job),
    });
  }

  /** One write of a job state, its failure handed to the redelivery. */
  private async write(job: Job): Promise<void> {
    try {
      await this.apply(job);
      this.redelivery.succeeded(job.id);
    } catch (err) {
      this.redelivery.failed(job, err);
    } finally {
      if (FINAL_PHASES.has(job.phase)) this.images.delete(job.id); // a retry downloads it again
    }
  }

  /** Starts downloading a final image as soon as the result is known, outside the channel's turn. */
  private prefetch(job: Job): Promise<Files> | undefined {
    const url = this.imageUrlOf(job);
    if (!url) return undefined;
    const known = this.images.get(job.id);
    if (known?.url === url) return known.files;
    if (this.images.size >= MAX_PREFETCHED) return undefined; // downloaded at its turn instead
    const files = this.download(job, url);
    this.images.set(job.id, { url, files });
    return files;
  }

  /** A private job whose token is gone: its final state goes to the requester's DMs; true once it was. */
  private async privateExpired(job: Job): Promise<boolean> {
    if (!FINAL_PHASES.has(job.phase) || job.message.finalShown || !this.o.mailer) return false;
    await this.o.mailer.privateFinal(job);
    return true;
  }

  private async apply(job: Job): Promise<void> {
    const final = FINAL_PHASES.has(job.phase);
    if (job.message.ephemeral && !this.notifier.tokenValid(job)) {
      // Only the interaction token reaches an ephemeral message; once it expired the final goes to DMs.
      if (await this.privateExpired(job)) await this.o.jobs.markFinalShown(job.id);
      return;
    }
    if (this.lostAccess.has(job)) {
      if (final) await this.lostAccess.deliver(job);
      return;
    }
    const files = await this.finalImage(job);
    const view = renderJob(job, { attachmentName: files?.[0]?.name ?? null });
    const body: Record<string, unknown> = {
      content: view.content,
      embeds: view.embeds,
      components: view.components,
      allowed_mentions: { parse: [] },
    };
    if (files) body.attachments = [{ id: 0, filename: files[0]?.name }];
    const fingerprint = JSON.stringify(body);
    if (this.shown.get(job.id) === fingerprint && job.message.messageId) return;
    const delivered = await this.send(job, body, files);
    if (!final) this.shown.set(job.id, fingerprint);
    else {
      this.shown.delete(job.id);
      if (delivered) await this.o.jobs.markFinalShown(job.id);
    }
  }

  /** Writes the message; true when Discord took it. */
  private async send(
    job: Job,
    body: Record<string, unknown>,
    files: Array<{ name: string; data: Buffer }> | undefined,
  ): Promise<boolean> {
    const token = job.message.interaction;
    if (token && this.notifier.tokenValid(job)) {
      try {
        // A follow-up (one of several jobs started by one press) is edited by its id, not as the original reply.
        const target = job.message.followUp && job.message.messageId ? job.message.messageId : '@original';
        const route = Routes.webhookMessage(token.applicationId, token.token, target);
        const rest = this.o.tokenRest ?? this.o.rest;
        const msg = (await rest.patch(route, { body, files, auth: false })) as { id: string };
        if (msg.id !== job.message.messageId) await this.o.jobs.attachMessage(job.id, msg.id);
        return true;
      } catch (err) {
        if (!(err instanceof DiscordAPIError && (TOKEN_DEAD.has(Number(err.code)) || err.status === 401))) {
          return this.failed(job, err);
        }
        this.o.logger.info({ jobId: job.id }, 'interaction token refused; editing through the channel');
        await this.o.jobs.dropToken(job.id);
        // An ephemeral (private) message has no channel route: its final state goes to the requester's DMs.
        if (job.message.ephemeral) return this.privateExpired(job);
      }
    }
    if (!job.message.messageId) {
      this.o.logger.warn(
        { jobId: job.id },
        'no message id and no valid token: cannot update the job message',
      );
      return false;
    }
    try {
      await this.o.rest.patch(Routes.channelMessage(job.message.channelId, job.message.messageId), {
        body,
        files,
      });
      return true;
    } catch (err) {
      return this.failed(job, err);
    }
  }

  /** Handles a refused write that retrying cannot fix (resolves false); anything else is thrown to be retried. */
  private async failed(job: Job, err: unknown): Promise<false> {
    const code = err instanceof DiscordAPIError ? Number(err.code) : null;
    if (code !== null && GONE.has(code)) {
      this.gone.add(job.id);
      this.o.logger.info({ jobId: job.id, code }, 'job message is gone; no more edits');
      await this.o.jobs.markMessageGone(job.id);
      return false;
    }
    if (code !== null && NO_ACCESS.has(code)) {
      await this.lostAccess.refused(job, code);
      return false;
    }
    throw err;
  }

  /** The final image as a file to upload, when the job succeeded and the image fits the upload limit. */
  private finalImage(job: Job): Promise<Files> {
    const url = this.imageUrlOf(job);
    if (!url) return Promise.resolve(undefined);
    const known = this.images.get(job.id);
    return known?.url === url ? known.files : this.download(job, url);
  }

  private imageUrlOf(job: Job): string | null {
    const url = job.task?.imageUrl;
    return job.phase === 'succeeded' && url && job.kind !== 'describe' ? url : null;
  }

  private async download(job: Job, url: string): Promise<Files> {
    try {
      const { data } = await download(url, {
        maxBytes: this.o.uploadLimit,
        timeoutMs: this.o.downloadTimeoutMs ?? 20_000,
      });
      return [{ name: imageFileName(job), data }];
    } catch (err) {
      this.o.logger.info({ jobId: job.id, err }, 'final image not attached; linking it instead');
      return undefined;
    }
  }
}
