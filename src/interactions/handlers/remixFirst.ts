import { type ButtonInteraction, ModalBuilder, type ModalSubmitInteraction } from 'discord.js';
import { LIMITS } from '../../constants.js';
import { t } from '../../i18n/index.js';
import { makeCustomId } from '../../render/customId.js';
import type { BotContext } from '../context.js';
import {
  loadPressed,
  type Pressed,
  parentPrompt,
  promptLabel,
  startPopupChild,
  submittedPrompt,
} from './popup.js';

/**
 * With the remix preference on, V / Vary / pan / reroll (and animate) open the edit-prompt pop-up first, like
 * Midjourney's Remix mode, pre-filled with the parent's prompt.
 */
export async function openRemixPressModal(
  ctx: BotContext,
  interaction: ButtonInteraction,
  pressed: Pressed,
): Promise<void> {
  const { job, index } = pressed;
  const modal = new ModalBuilder()
    .setCustomId(makeCustomId({ kind: 'modal', form: 'press', jobId: job.id, index }))
    .setTitle(t(interaction.locale, 'modal.remixTitle').slice(0, LIMITS.modalTitle))
    .addLabelComponents(promptLabel(t(interaction.locale, 'modal.promptLabel'), parentPrompt(job)));
  await interaction.showModal(modal);
  ctx.logger.info(
    { jobId: job.id, userId: interaction.user.id, button: pressed.info.name },
    'remix pop-up shown',
  );
}

/**
 * Its submit: the action with `enableRemix`, then the edited prompt through `/mj/submit/modal` when the upstream
 * asks for it (code 21). An aggregator answers such a press as accepted and shows MODAL later: the edited prompt
 * is then sent when the tracker sees it (`remixFollowUp`), so the user edits once either way.
 */
export async function submitRemixPressModal(
  ctx: BotContext,
  interaction: ModalSubmitInteraction,
  jobId: string,
  index: number,
): Promise<void> {
  const pressed = await loadPressed(ctx, interaction, jobId, index, (info) => info.modal === 'remix');
  const prompt = submittedPrompt(ctx, interaction);
  await startPopupChild(ctx, interaction, pressed, async () => ({ prompt, enableRemix: true }), true);
}
