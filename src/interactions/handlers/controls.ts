import { type ButtonInteraction, MessageFlags } from 'discord.js';
import { t } from '../../i18n/index.js';
import { isCancellable } from '../../jobs/limits.js';
import type { BotContext } from '../context.js';
import { assertOwnerOrManager, loadJob, once } from '../press.js';
import { UserError } from '../userError.js';

/**
 * ❌ on a job that waits in the local queue or that the upstream has not started: the bot stops tracking it
 * and its message says so (a queued job's usage is given back). Requester or server managers.
 */
export async function pressCancel(
  ctx: BotContext,
  interaction: ButtonInteraction,
  jobId: string,
): Promise<void> {
  const job = await loadJob(ctx, jobId);
  assertOwnerOrManager(interaction, job);
  if (!isCancellable(job)) throw new UserError('cancel.tooLate');
  await once(ctx, `${job.id}:cancel`, async () => {
    await interaction.deferUpdate();
    const ended = await ctx.queue.cancel(job.id);
    if (!ended) throw new UserError('cancel.tooLate');
    ctx.logger.info({ jobId, userId: interaction.user.id, was: job.phase }, 'job cancelled');
  });
}

/** 🗑️ on a finished result: its message is deleted (requester or server managers); the job record stays. */
export async function pressDelete(
  ctx: BotContext,
  interaction: ButtonInteraction,
  jobId: string,
): Promise<void> {
  const job = await loadJob(ctx, jobId);
  assertOwnerOrManager(interaction, job);
  if (job.phase !== 'succeeded' && job.phase !== 'failed') throw new UserError('delete.notFinished');
  await once(ctx, `${job.id}:delete`, async () => {
    // After deferUpdate, the "original" message of a button interaction is the message the button is on; this
    // route works for ephemeral (private) results too.
    await interaction.deferUpdate();
    await interaction.deleteReply();
    await ctx.jobs.markMessageGone(job.id);
    ctx.logger.info({ jobId, userId: interaction.user.id }, 'job message deleted');
  });
}

/** ✉️ on a finished result: sends it (image, full prompt, job id, seed) to the presser's DMs. */
export async function pressDm(ctx: BotContext, interaction: ButtonInteraction, jobId: string): Promise<void> {
  const job = await loadJob(ctx, jobId);
  if (job.phase !== 'succeeded') throw new UserError('dm.notFinished');
  await once(ctx, `${job.id}:dm:${interaction.user.id}`, async () => {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const outcome = await ctx.mailer.send(job, interaction.user.id, interaction.locale).catch((err) => {
      ctx.logger.warn({ jobId, err }, 'sending to DMs failed');
      return 'failed' as const;
    });
    const key = outcome === 'sent' ? 'dm.sent' : outcome === 'closed' ? 'dm.closed' : 'dm.failed';
    await interaction.editReply({ content: t(interaction.locale, key) });
  });
}
