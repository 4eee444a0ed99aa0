import type { ButtonInteraction } from 'discord.js';
import type { NewJob } from '../../jobs/service.js';
import type { Job } from '../../jobs/types.js';
import { RETRYABLE } from '../../render/components.js';
import { messageUrl } from '../../render/links.js';
import type { SubmitResult } from '../../upstream/types.js';
import { assertMayPress, loadJob, once } from '../access.js';
import type { BotContext } from '../context.js';
import { deferJobReply, startJob } from '../startJob.js';
import { UserError } from '../userError.js';
import { commandPlan, imagesAgain } from './repeat.js';

/** How to repeat a failed job: the new job's record, and (once the images are fetched again) its one submit. */
export interface RetryPlan {
  init: Omit<NewJob, 'message' | 'ownerId' | 'locale'>;
  prepare(): Promise<() => Promise<SubmitResult>>;
}

/**
 * `Retry` on a failed job: a NEW job, in a new message replying to the failed one, sends the same request once.
 * Nothing is ever re-sent without this click; an `unknown_outcome` job's message says that the first attempt
 * may still exist before the user chooses.
 */
export async function pressRetry(
  ctx: BotContext,
  interaction: ButtonInteraction,
  jobId: string,
): Promise<void> {
  const job = await loadJob(ctx, jobId);
  assertMayPress(ctx, interaction, job);
  const kind = job.failure?.kind;
  if (job.phase !== 'failed' || !kind || !RETRYABLE.has(kind)) throw new UserError('retry.notRetryable');
  const plan = planOf(ctx, job);
  await once(ctx, `${job.id}:retry`, async () => {
    await deferJobReply(ctx, interaction);
    const send = await plan.prepare();
    ctx.logger.info(
      { jobId: job.id, userId: interaction.user.id, failure: kind },
      'retrying a failed job as a new one',
    );
    await startJob(ctx, interaction, { ...plan.init, retryOf: job.id }, send);
  });
}

/** How to send `job`'s request again (also how a queued job is sent after a restart). */
export function planOf(ctx: BotContext, job: Job): RetryPlan {
  const common = { prompt: job.prompt, mode: job.mode, botType: job.botType, repeat: job.repeat };
  const action = job.repeat?.action;
  if (job.kind === 'action' && action) {
    return {
      init: {
        ...common,
        kind: 'action',
        parentJobId: job.parentJobId,
        actionLabel: job.actionLabel,
        parentMessageUrl: job.parentMessageUrl,
      },
      prepare: async () => () => ctx.upstream.action({ ...action, mode: job.mode }),
    };
  }
  const urls = job.repeat?.imageUrls ?? [];
  if (job.kind === 'imagine' && urls.length === job.imageCount) {
    const botType = job.botType ? { botType: job.botType } : {};
    return {
      init: {
        ...common,
        kind: 'imagine',
        imageCount: urls.length,
        parentMessageUrl: messageUrl(job.message),
      },
      prepare: async () => {
        const base64Array = await imagesAgain(ctx, urls);
        return () =>
          ctx.upstream.imagine({
            prompt: job.prompt,
            mode: job.mode,
            ...botType,
            ...(base64Array.length > 0 ? { base64Array } : {}),
          });
      },
    };
  }
  const own = commandPlan(ctx, job);
  if (own) return own;
  throw new UserError('retry.unsupported');
}
