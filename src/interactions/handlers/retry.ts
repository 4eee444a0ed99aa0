import type { ButtonInteraction } from 'discord.js';
import type { Job } from '../../jobs/types.js';
import { RETRYABLE } from '../../render/components.js';
import { messageUrl } from '../../render/links.js';
import type { BotContext } from '../context.js';
import { assertMayPress, loadJob, once } from '../press.js';
import { deferJobReply, imagesAgain, type JobInit, startJob } from '../startJob.js';
import { UserError } from '../userError.js';

/**
 * `Retry` on a failed job: a NEW job, in a new message replying to the failed one, sends the same request once
 * (its images read again). Nothing is ever re-sent without this click; an `unknown_outcome` job's message says
 * that the first attempt may still exist before the user chooses.
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
  const init = retryOf(job);
  await once(ctx, `${job.id}:retry`, async () => {
    await deferJobReply(ctx, interaction);
    ctx.logger.info(
      { jobId: job.id, userId: interaction.user.id, failure: kind },
      'retrying a failed job as a new one',
    );
    await startJob(ctx, interaction, init, () => imagesAgain(ctx, job));
  });
}

/**
 * What the new job of a Retry records: the same request. A button press still points at the parent it came
 * from; a command's job links back to the failed attempt. Pop-ups are not repeated from here (their prompt and
 * mask were answers to the parent's state), nor records that do not hold their request.
 */
function retryOf(job: Job): JobInit {
  const { request } = job;
  if (!request || request.kind === 'modal') throw new UserError('retry.unsupported');
  const common = { request, prompt: job.prompt, botType: job.botType, retryOf: job.id };
  if (request.kind === 'action') {
    return {
      ...common,
      parentJobId: job.parentJobId,
      actionLabel: job.actionLabel,
      parentMessageUrl: job.parentMessageUrl,
    };
  }
  return { ...common, imageCount: job.imageCount, parentMessageUrl: messageUrl(job.message) };
}
