import { LIMITS } from '../constants.js';
import { t } from '../i18n/index.js';
import type { Jobs } from '../jobs/service.js';
import { FINAL_PHASES, type Job } from '../jobs/types.js';
import type { Logger } from '../log.js';
import { renderJob } from '../render/message.js';
import { inlinePrompt, truncate } from '../render/text.js';
import type { Notifier } from './notify.js';

type Files = Array<{ name: string; data: Buffer }> | undefined;

export interface LostAccessOptions {
  jobs: Jobs;
  notifier: Notifier;
  logger: Logger;
  /** The final image to upload with the result, if any. */
  finalImage: (job: Job) => Promise<Files>;
  /** Nowhere is left to show the job (its DMs are closed too). */
  onGone: (jobId: string) => void;
}

/**
 * Jobs whose channel the bot can no longer write to (50001 Missing Access, 50013 Missing Permissions): progress is
 * not shown any more, the requester is told once (ephemeral follow-up while the token lives, else a DM), and the
 * result is posted in their DMs, where its buttons work as usual. The job record is kept either way.
 */
export class LostAccess {
  private readonly lost = new Set<string>();

  constructor(private readonly o: LostAccessOptions) {}

  /** True when the job's channel is known to be closed to the bot. */
  has(job: Job): boolean {
    return !!job.message.noAccess || this.lost.has(job.id);
  }

  /** Discord refused a write with `code`: remember it, tell the requester, and deliver a final result to DMs. */
  async refused(job: Job, code: number): Promise<void> {
    this.lost.add(job.id);
    this.o.logger.warn(
      { jobId: job.id, channelId: job.message.channelId, code },
      'no permission to update the job message; telling the requester',
    );
    if (await this.o.jobs.markNoAccess(job.id)) {
      const text = t(job.locale, 'notice.noAccess', {
        prompt: inlinePrompt(truncate(job.prompt, 200)),
        channel: job.message.channelId,
      });
      if (!(await this.o.notifier.tell(job, text))) {
        this.o.logger.warn({ jobId: job.id }, 'could not tell the requester about the missing permission');
      }
    }
    if (FINAL_PHASES.has(job.phase)) await this.deliver(job);
  }

  /** Posts the job's final state in the requester's DMs and moves the job's message there. */
  async deliver(job: Job): Promise<void> {
    const files = await this.o.finalImage(job);
    const view = renderJob(job, { attachmentName: files?.[0]?.name ?? null });
    const note = t(job.locale, 'notice.resultMoved', { channel: job.message.channelId });
    const body: Record<string, unknown> = {
      content: truncate(`${note}\n${view.content}`, LIMITS.content),
      embeds: view.embeds,
      components: view.components,
      allowed_mentions: { parse: [] },
    };
    if (files) body.attachments = [{ id: 0, filename: files[0]?.name }];
    const posted = await this.o.notifier.dm(job, body, files);
    this.lost.delete(job.id);
    if (!posted) {
      this.o.onGone(job.id);
      await this.o.jobs.markMessageGone(job.id);
      return;
    }
    this.o.logger.info({ jobId: job.id }, "job result sent to the requester's DMs");
    await this.o.jobs.moveMessage(job.id, posted.channelId, posted.messageId);
    await this.o.jobs.markFinalShown(job.id);
  }
}
