import { type ButtonInteraction, MessageFlags } from 'discord.js';
import type { MessageKey } from '../../i18n/index.js';
import { t } from '../../i18n/index.js';
import { MjError } from '../../upstream/errors.js';
import type { BotContext } from '../context.js';
import { assertMayPress, loadJob, once } from '../press.js';
import { UserError } from '../userError.js';

/** Why a seed could not be read, by upstream error kind; anything else is "unreachable". */
const REASONS: Partial<Record<MjError['kind'], MessageKey>> = {
  unsupported: 'seed.unsupported',
  rejected: 'seed.notReady',
  not_found: 'seed.notFound',
};

/**
 * 🌱 under a finished image: its Midjourney seed (`GET /mj/task/{id}/image-seed`), told to the presser only.
 * Upstreams without the endpoint get a plain "not supported".
 */
export async function pressSeed(
  ctx: BotContext,
  interaction: ButtonInteraction,
  jobId: string,
): Promise<void> {
  const job = await loadJob(ctx, jobId);
  assertMayPress(ctx, interaction, job);
  const taskId = job.taskId;
  if (job.phase !== 'succeeded' || !taskId) throw new UserError('seed.notReady');
  await once(ctx, `${job.id}:seed`, async () => {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const log = { jobId, taskId, userId: interaction.user.id };
    let content: string;
    try {
      const seed = await ctx.upstream.imageSeed(taskId);
      content = t(interaction.locale, 'seed.value', { seed });
      ctx.logger.info(log, 'seed shown');
    } catch (err) {
      const key = (err instanceof MjError && REASONS[err.kind]) || 'seed.unreachable';
      ctx.logger.info({ ...log, reason: key, err }, 'no seed to show');
      content = t(interaction.locale, key);
    }
    // The ephemeral answer itself says it, whether the seed came or not.
    await interaction.editReply({ content, allowedMentions: { parse: [] } });
  });
}
