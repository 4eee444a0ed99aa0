import type { ButtonInteraction } from 'discord.js';
import { classifyButton } from '../../render/buttons.js';
import { messageUrl } from '../../render/links.js';
import type { BotContext } from '../context.js';
import { assertMayPress, loadJob, once } from '../press.js';
import { deferJobReply, startJob } from '../startJob.js';
import { UserError } from '../userError.js';
import { openRegionModal } from './region.js';
import { openRemixPressModal } from './remixFirst.js';
import { openZoomModal } from './zoom.js';

/**
 * A press on one of a finished task's buttons (U1, V2, Zoom Out…): a new message, replying to the job's,
 * tracks the child task that `/mj/submit/action` starts.
 */
export async function pressUpstreamButton(
  ctx: BotContext,
  interaction: ButtonInteraction,
  jobId: string,
  index: number,
): Promise<void> {
  const job = await loadJob(ctx, jobId);
  assertMayPress(ctx, interaction, job);
  const button = job.task?.buttons[index];
  if (!button || !job.taskId || job.phase !== 'succeeded') throw new UserError('button.unknownJob');
  const info = classifyButton(button);
  if (!info.upstream) throw new UserError('button.unsupported', { label: info.name });
  // Pop-ups must be the first answer to the press, so they open before anything is sent upstream.
  const pressed = { job, taskId: job.taskId, index, button, info };
  if (info.family === 'custom_zoom') return openZoomModal(ctx, interaction, pressed);
  if (info.family === 'vary_region') return openRegionModal(ctx, interaction, pressed);
  if (info.modal === 'remix' && (await ctx.prefs.get(interaction.user.id)).remix) {
    return openRemixPressModal(ctx, interaction, pressed);
  }
  await once(ctx, `${job.id}:${index}`, async () => {
    await deferJobReply(ctx, interaction);
    await startJob(ctx, interaction, {
      request: { kind: 'action', mode: job.mode, taskId: pressed.taskId, customId: button.customId },
      prompt: job.prompt,
      botType: job.botType,
      parentJobId: job.id,
      actionLabel: info.label || info.name,
      parentMessageUrl: messageUrl(job.message),
    });
  });
}
