import { type ButtonInteraction, ModalBuilder, type ModalSubmitInteraction } from 'discord.js';
import { LIMITS } from '../../constants.js';
import { t } from '../../i18n/index.js';
import { makeCustomId } from '../../render/customId.js';
import type { BotContext } from '../context.js';
import { UserError } from '../userError.js';
import {
  loadPressed,
  ofFamily,
  type Pressed,
  parentPrompt,
  promptLabel,
  startPopupChild,
  submittedPrompt,
} from './popup.js';
import { checkZoom, withZoom } from './zoomPrompt.js';

/**
 * 🔍 Custom Zoom: the pop-up opens at once (a modal must be the first answer, so nothing is asked upstream first),
 * pre-filled with the job's prompt and `--zoom 2`.
 */
export async function openZoomModal(
  ctx: BotContext,
  interaction: ButtonInteraction,
  pressed: Pressed,
): Promise<void> {
  const { job, index } = pressed;
  const modal = new ModalBuilder()
    .setCustomId(makeCustomId({ kind: 'modal', form: 'zoom', jobId: job.id, index }))
    .setTitle(t(interaction.locale, 'modal.zoomTitle').slice(0, LIMITS.modalTitle))
    .addLabelComponents(promptLabel(t(interaction.locale, 'zoom.label'), withZoom(parentPrompt(job))));
  await interaction.showModal(modal);
  ctx.logger.info({ jobId: job.id, userId: interaction.user.id }, 'custom zoom pop-up shown');
}

/**
 * The Custom Zoom pop-up's submit: the zoom is checked (1.0–2.0) before anything is sent; then the action and,
 * when the upstream asks for it, the pop-up's prompt, in a new message.
 */
export async function submitZoomModal(
  ctx: BotContext,
  interaction: ModalSubmitInteraction,
  jobId: string,
  index: number,
): Promise<void> {
  const pressed = await loadPressed(ctx, interaction, jobId, index, ofFamily('custom_zoom'));
  const prompt = submittedPrompt(ctx, interaction);
  const zoom = checkZoom(prompt);
  if (!zoom.ok) {
    ctx.logger.info({ jobId, userId: interaction.user.id, reason: zoom.reason }, 'custom zoom refused');
    if (zoom.reason === 'missing') throw new UserError('zoom.missing');
    throw new UserError('zoom.range', { value: zoom.value });
  }
  await startPopupChild(ctx, interaction, pressed, async () => ({ prompt }), true);
}
