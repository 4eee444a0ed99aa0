import { DiscordAPIError, type REST, Routes } from 'discord.js';
import type { Jobs } from '../jobs/service.js';
import { FINAL_PHASES, type Job } from '../jobs/types.js';
import type { Logger } from '../log.js';
import type { Clock } from '../util/clock.js';
import type { ChannelBudget } from './budget.js';
import { download } from './download.js';
import { imageFileName, renderJob } from './render.js';

export interface PublisherOptions {
  rest: REST;
  jobs: Jobs;
  budget: ChannelBudget;
  clock: Clock;
  logger: Logger;
  /** Largest file the bot uploads; a larger final image is linked instead. */
  uploadLimit: number;
  downloadTimeoutMs?: number;
}

interface Pending {
  job: Job;
  waiters: Array<() => void>;
}

/** Discord error codes that mean the message cannot be edited any more. */
const GONE = new Set([10003, 10008, 50001]);
/** The interaction token is no longer valid: fall back to the channel route. */
const TOKEN_DEAD = new Set([50027, 10015]);
/** Keep this much of the token's 15 minutes in reserve. */
const TOKEN_MARGIN_MS = 30_000;

/**
 * Applies job states to their Discord messages: one queue per channel, latest state per message wins,
 * final states first, every write within the channel's budget. Channels drain independently, so a slow upload
 * in one never holds up another.
 */
export class Publisher {
  private readonly queues = new Map<string, Map<string, Pending>>();
  private readonly draining = new Map<string, Promise<void>>();
  private readonly gone = new Set<string>();
  /** What each message shows now (as sent), so a state that renders the same costs no request. */
  private readonly shown = new Map<string, string>();

  constructor(private readonly o: PublisherOptions) {}

  /** Queues the job's latest state for its message; earlier unsent states of the same job are dropped. */
  publish(job: Job): void {
    void this.enqueue(job);
  }

  /** Queues the job's state and resolves once it (or a later state) reached Discord. */
  deliver(job: Job): Promise<void> {
    return this.enqueue(job);
  }

  /** Resolves when every queue is empty. */
  async idle(): Promise<void> {
    while (this.draining.size > 0) await Promise.all(this.draining.values());
  }

  private enqueue(job: Job): Promise<void> {
    if (job.message.gone || this.gone.has(job.id)) return Promise.resolve();
    const channelId = job.message.channelId;
    let queue = this.queues.get(channelId);
    if (!queue) {
      queue = new Map();
      this.queues.set(channelId, queue);
    }
    const done = new Promise<void>((resolve) => {
      const pending = queue.get(job.id);
      if (pending) {
        if (job.updatedAt >= pending.job.updatedAt) pending.job = job;
        pending.waiters.push(resolve);
      } else {
        queue.set(job.id, { job, waiters: [resolve] });
      }
    });
    if (!this.draining.has(channelId)) {
      const run = this.drain(channelId, queue).finally(() => this.draining.delete(channelId));
      this.draining.set(channelId, run);
    }
    return done;
  }

  private async drain(channelId: string, queue: Map<string, Pending>): Promise<void> {
    while (queue.size > 0) {
      const wait = this.o.budget.wait(channelId);
      if (wait > 0) {
        await this.o.clock.sleep(wait);
        continue;
      }
      const [jobId, pending] = pickNext(queue);
      queue.delete(jobId);
      this.o.budget.take(channelId);
      try {
        await this.apply(pending.job);
      } catch (err) {
        this.o.logger.error({ jobId, channelId, err: String(err) }, 'could not update the job message');
      }
      for (const resolve of pending.waiters) resolve();
    }
    this.queues.delete(channelId);
  }

  private async apply(job: Job): Promise<void> {
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
    await this.send(job, body, files);
    if (FINAL_PHASES.has(job.phase)) this.shown.delete(job.id);
    else this.shown.set(job.id, fingerprint);
  }

  private async send(
    job: Job,
    body: Record<string, unknown>,
    files: Array<{ name: string; data: Buffer }> | undefined,
  ) {
    const token = job.message.interaction;
    if (token && token.expiresAt - TOKEN_MARGIN_MS > this.o.clock.now()) {
      try {
        const route = Routes.webhookMessage(token.applicationId, token.token, '@original');
        const msg = (await this.o.rest.patch(route, { body, files, auth: false })) as { id: string };
        if (msg.id !== job.message.messageId) await this.o.jobs.attachMessage(job.id, msg.id);
        return;
      } catch (err) {
        if (!(err instanceof DiscordAPIError && (TOKEN_DEAD.has(Number(err.code)) || err.status === 401))) {
          return this.failed(job, err);
        }
        this.o.logger.info({ jobId: job.id }, 'interaction token refused; editing through the channel');
        await this.o.jobs.dropToken(job.id);
      }
    }
    if (!job.message.messageId) {
      this.o.logger.warn(
        { jobId: job.id },
        'no message id and no valid token: cannot update the job message',
      );
      return;
    }
    try {
      await this.o.rest.patch(Routes.channelMessage(job.message.channelId, job.message.messageId), {
        body,
        files,
      });
    } catch (err) {
      await this.failed(job, err);
    }
  }

  private async failed(job: Job, err: unknown): Promise<void> {
    if (err instanceof DiscordAPIError && GONE.has(Number(err.code))) {
      this.gone.add(job.id);
      this.o.logger.info({ jobId: job.id, code: err.code }, 'job message is gone; no more edits');
      await this.o.jobs.markMessageGone(job.id);
      return;
    }
    throw err;
  }

  /** The final image as a file to upload, when the job succeeded and the image fits the upload limit. */
  private async finalImage(job: Job): Promise<Array<{ name: string; data: Buffer }> | undefined> {
    const url = job.task?.imageUrl;
    if (job.phase !== 'succeeded' || !url || job.kind === 'describe') return undefined;
    try {
      const { data } = await download(url, {
        maxBytes: this.o.uploadLimit,
        timeoutMs: this.o.downloadTimeoutMs ?? 20_000,
      });
      return [{ name: imageFileName(job), data }];
    } catch (err) {
      this.o.logger.info({ jobId: job.id, err: String(err) }, 'final image not attached; linking it instead');
      return undefined;
    }
  }
}

/** Final states go first; otherwise the longest-waiting message. */
function pickNext(queue: Map<string, Pending>): [string, Pending] {
  for (const entry of queue) if (FINAL_PHASES.has(entry[1].job.phase)) return entry;
  return queue.entries().next().value as [string, Pending];
}
