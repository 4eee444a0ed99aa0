import type { ButtonInteraction } from 'discord.js';
import type { DescribeSource, Job } from '../../jobs/types.js';
import { messageUrl } from '../../render/links.js';
import type { BotContext } from '../context.js';
import { assertMayPress, loadJob, once } from '../press.js';
import { deferJobReply, describedImage, startJob } from '../startJob.js';
import { UserError } from '../userError.js';

/**
 * 🔄 under a describe result: describes the same image again, as a new job in a new message. Sent by the bot
 * itself (`/mj/submit/describe`): aggregators refuse the upstream's own `MJ::Picread::Retry`.
 */
export async function pressRedescribe(
  ctx: BotContext,
  interaction: ButtonInteraction,
  jobId: string,
): Promise<void> {
  const job = await loadJob(ctx, jobId);
  assertMayPress(ctx, interaction, job);
  const describe = job.kind === 'describe' || job.task?.action?.toUpperCase() === 'DESCRIBE';
  if (!describe || job.phase !== 'succeeded') throw new UserError('button.unknownJob');
  await once(ctx, `${job.id}:redescribe`, async () => {
    await deferJobReply(ctx, interaction);
    const base64 = await describedImage(ctx, job);
    ctx.logger.info({ jobId: job.id, userId: interaction.user.id }, 'describing again');
    await startJob(
      ctx,
      interaction,
      {
        request: { kind: 'describe', mode: job.mode, botType: job.botType, source: sourceOf(job) },
        prompt: '',
        botType: job.botType,
        imageCount: 1,
        parentJobId: job.id,
        parentMessageUrl: messageUrl(job.message),
      },
      [base64],
    );
  });
}

/** Where the described image comes from: the user's own file or URL, else the upstream's copy. */
function sourceOf(job: Job): DescribeSource {
  if (job.request?.kind === 'describe') return job.request.source;
  return { imageUrl: job.task?.imageUrl ?? '' };
}
