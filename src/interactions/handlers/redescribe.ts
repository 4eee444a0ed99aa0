import type { ButtonInteraction } from 'discord.js';
import type { Job } from '../../jobs/types.js';
import { download, sniffImage } from '../../media/download.js';
import { messageUrl } from '../../render/links.js';
import { assertMayPress, loadJob, once } from '../access.js';
import type { BotContext } from '../context.js';
import { deferJobReply, startJob } from '../startJob.js';
import { readUrlImage } from '../urlImage.js';
import { UserError } from '../userError.js';

const TIMEOUT_MS = 15_000;

/**
 * The image a describe job described, fetched again as a data URL: the user's own file or URL first (a URL goes
 * through the private-address checks again), then the upstream's copy. A UserError when none is left.
 */
export async function describedImage(ctx: BotContext, job: Job): Promise<string> {
  const log = { jobId: job.id, userId: job.ownerId };
  if (job.repeat?.link) {
    try {
      return await readUrlImage(ctx, job.repeat.link, log);
    } catch (err) {
      ctx.logger.info({ ...log, err }, 'the described URL is gone; trying the upstream copy');
    }
  }
  const urls = [...(job.repeat?.imageUrls ?? []), job.task?.imageUrl].filter((u): u is string => !!u);
  for (const url of urls) {
    const data = await download(url, { maxBytes: ctx.config.maxImageBytes, timeoutMs: TIMEOUT_MS }).then(
      (d) => d.data,
      () => null,
    );
    const type = data ? sniffImage(data) : null;
    if (data && type) return `data:${type};base64,${data.toString('base64')}`;
  }
  throw new UserError('describe.imageGone');
}

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
    const botType = job.botType ? { botType: job.botType } : {};
    ctx.logger.info({ jobId: job.id, userId: interaction.user.id }, 'describing again');
    await startJob(
      ctx,
      interaction,
      {
        kind: 'describe',
        prompt: '',
        mode: job.mode,
        botType: job.botType,
        imageCount: 1,
        parentJobId: job.id,
        parentMessageUrl: messageUrl(job.message),
        ...(job.repeat ? { repeat: job.repeat } : {}),
      },
      () => ctx.upstream.describe({ base64, mode: job.mode, ...botType }),
    );
  });
}
