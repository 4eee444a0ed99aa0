import { type ButtonInteraction, MessageFlags } from 'discord.js';
import { t } from '../../i18n/index.js';
import type { MjTask } from '../../upstream/types.js';
import type { BotContext } from '../context.js';
import { assertMayPress, loadJob, once } from '../press.js';
import { UserError } from '../userError.js';

/**
 * `Check` on a job whose outcome is unknown or that passed its deadline: reads its task from the upstream by id.
 * A task the upstream still has puts the job back where it stands (finished, failed or tracked again); the
 * presser is told ephemerally either way. Nothing is submitted.
 */
export async function pressCheck(
  ctx: BotContext,
  interaction: ButtonInteraction,
  jobId: string,
): Promise<void> {
  const job = await loadJob(ctx, jobId);
  assertMayPress(ctx, interaction, job);
  if (job.phase !== 'failed') throw new UserError('check.found');
  const taskId = job.taskId;
  if (!taskId) throw new UserError('check.noTask');
  await once(ctx, `${job.id}:check`, async () => {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    let task: MjTask | null;
    try {
      task = await ctx.upstream.fetch(taskId);
    } catch (err) {
      ctx.logger.warn({ jobId, taskId, err }, 'checking a job failed');
      throw new UserError('check.unreachable');
    }
    if (!task) throw new UserError('check.notFound');
    await ctx.jobs.reopen(job.id, task);
    await interaction.editReply({ content: t(interaction.locale, 'check.found') });
  });
}
