import {
  type ButtonInteraction,
  LabelBuilder,
  ModalBuilder,
  type ModalSubmitInteraction,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import { LIMITS } from '../../constants.js';
import { t } from '../../i18n/index.js';
import { failureOfSubmit } from '../../jobs/service.js';
import { confirmModal } from '../../jobs/submit.js';
import { makeCustomId } from '../../render/customId.js';
import { MjError } from '../../upstream/errors.js';
import type { SubmitResult } from '../../upstream/types.js';
import type { BotContext } from '../context.js';
import { assertMayPress, loadJob, once } from '../press.js';
import { UserError } from '../userError.js';

const PROMPT_FIELD = 'prompt';

/** "Edit prompt" on a job that waits in MODAL: opens a pop-up pre-filled with the prompt to confirm. */
export async function openRemixModal(
  ctx: BotContext,
  interaction: ButtonInteraction,
  jobId: string,
): Promise<void> {
  const job = await loadJob(ctx, jobId);
  assertMayPress(ctx, interaction, job);
  if (job.phase !== 'modal') throw new UserError('button.notWaiting');
  const prefill = (job.task?.finalPrompt || job.prompt).slice(0, LIMITS.textInput);
  const input = new TextInputBuilder()
    .setCustomId(PROMPT_FIELD)
    .setStyle(TextInputStyle.Paragraph)
    .setRequired(true)
    .setMaxLength(LIMITS.textInput)
    .setValue(prefill);
  const modal = new ModalBuilder()
    .setCustomId(makeCustomId({ kind: 'modal', form: 'remix', jobId: job.id, index: 0 }))
    .setTitle(t(interaction.locale, 'modal.remixTitle').slice(0, LIMITS.modalTitle))
    .addLabelComponents(
      new LabelBuilder()
        .setLabel(t(interaction.locale, 'modal.promptLabel').slice(0, LIMITS.modalTitle))
        .setTextInputComponent(input),
    );
  await interaction.showModal(modal);
}

/** The remix pop-up's submit: `/mj/submit/modal` with the edited prompt; the same job goes on tracking. */
export async function submitRemixModal(
  ctx: BotContext,
  interaction: ModalSubmitInteraction,
  jobId: string,
): Promise<void> {
  const job = await loadJob(ctx, jobId);
  assertMayPress(ctx, interaction, job);
  if (job.phase !== 'modal' || !job.taskId) throw new UserError('button.notWaiting');
  const prompt = interaction.fields.getTextInputValue(PROMPT_FIELD).trim();
  if (prompt === '') throw new UserError('input.promptEmpty');
  const taskId = job.taskId;
  await once(ctx, `${job.id}:modal`, async () => {
    await interaction.deferUpdate();
    let result: SubmitResult;
    try {
      result = await confirmModal(ctx.upstream, { taskId, prompt, mode: job.mode });
    } catch (err) {
      // A refused prompt leaves the task waiting: the user may edit again. Anything else ends the job.
      if (err instanceof MjError && (err.kind === 'rejected' || err.kind === 'banned')) {
        throw new UserError('error.modalRefused', { reason: failureOfSubmit(err).detail ?? err.kind });
      }
      await ctx.jobs.refused(job.id, err);
      return;
    }
    await ctx.jobs.accepted(job.id, result, { prompt });
  });
}
