import {
  type Interaction,
  LabelBuilder,
  type ModalSubmitInteraction,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import { LIMITS } from '../../constants.js';
import type { Job } from '../../jobs/types.js';
import { type ButtonFamily, type ButtonInfo, classifyButton } from '../../render/buttons.js';
import { messageUrl } from '../../render/links.js';
import type { MjButton } from '../../upstream/types.js';
import type { BotContext } from '../context.js';
import { assertMayPress, loadJob, once } from '../press.js';
import { deferJobReply, type JobInit, startJob } from '../startJob.js';
import { UserError } from '../userError.js';
import { checkPrompt } from '../userInput.js';

/** The custom_id of the prompt field of every pop-up the bot shows. */
export const PROMPT_FIELD = 'prompt';

/** A finished job's upstream button, as a pop-up for it needs it. */
export interface Pressed {
  job: Job;
  taskId: string;
  index: number;
  button: MjButton;
  info: ButtonInfo;
}

/**
 * The job and button a pop-up belongs to, checked when it opens and again when it is sent (the job may have
 * changed meanwhile): the presser may press it, the job is finished, the button exists and is of `families`.
 */
export async function loadPressed(
  ctx: BotContext,
  interaction: Interaction,
  jobId: string,
  index: number,
  accept: (info: ButtonInfo) => boolean,
): Promise<Pressed> {
  const job = await loadJob(ctx, jobId);
  assertMayPress(ctx, interaction, job);
  const button = job.task?.buttons[index];
  if (!button || !job.taskId || job.phase !== 'succeeded') throw new UserError('button.unknownJob');
  const info = classifyButton(button);
  if (!info.upstream) throw new UserError('button.unsupported', { label: info.name });
  if (!accept(info)) throw new UserError('button.invalid');
  return { job, taskId: job.taskId, index, button, info };
}

/** Accepts buttons of these families. */
export const ofFamily =
  (...families: ButtonFamily[]) =>
  (info: ButtonInfo): boolean =>
    families.includes(info.family);

/** What a pop-up starts from: the parent's prompt as Midjourney echoed it (with its parameters), else as typed. */
export function parentPrompt(job: Job): string {
  return (job.task?.finalPrompt || job.prompt).trim();
}

/** A paragraph text input for a prompt inside its Label (the current modal layout), pre-filled with `value`. */
export function promptLabel(label: string, value: string): LabelBuilder {
  const input = new TextInputBuilder()
    .setCustomId(PROMPT_FIELD)
    .setStyle(TextInputStyle.Paragraph)
    .setRequired(true)
    .setMaxLength(LIMITS.textInput)
    .setValue(value.slice(0, LIMITS.textInput));
  return new LabelBuilder().setLabel(label.slice(0, LIMITS.modalTitle)).setTextInputComponent(input);
}

/** The prompt a pop-up was sent with, checked like a typed one (empty, too long). */
export function submittedPrompt(ctx: BotContext, interaction: ModalSubmitInteraction): string {
  return checkPrompt(ctx, interaction.fields.getTextInputValue(PROMPT_FIELD));
}

/** What a pop-up adds to a button press. */
export interface PopupInput {
  prompt: string;
  /** Vary (Region): the uploaded mask, and its bytes (checked) as a PNG data URL. */
  mask?: { url: string; dataUrl: string };
  /** The remix preference: ask the upstream for the pop-up step of V / Vary / pan / reroll. */
  enableRemix?: boolean;
}

/**
 * The submit of a pop-up on a finished job's button (Custom Zoom, Vary (Region), remix): a new message, replying
 * like any child job, tracks the child task. `prepare` runs after the acknowledgement (downloads, checks that
 * may refuse). The one submit (a `modal` request, see `jobs/submit.ts`) is `/mj/submit/action`, then — when the
 * upstream asks for the pop-up (code 21) — `/mj/submit/modal` with the task id it gave and the prompt. An action
 * the upstream takes without asking is tracked as it is; when `confirmLater`, its prompt is kept for the moment
 * its task turns MODAL (aggregators report remix pop-ups as accepted), see `remixFollowUp`.
 */
export async function startPopupChild(
  ctx: BotContext,
  interaction: ModalSubmitInteraction,
  pressed: Pressed,
  prepare: () => Promise<PopupInput>,
  confirmLater: boolean,
): Promise<void> {
  const { job, taskId, info } = pressed;
  await once(ctx, `${job.id}:${pressed.index}`, async () => {
    await deferJobReply(ctx, interaction);
    const input = await prepare();
    ctx.logger.info(
      { jobId: job.id, userId: interaction.user.id, parentTaskId: taskId, button: info.name },
      'pop-up sent',
    );
    const init = popupChildInit(pressed, input, confirmLater);
    await startJob(ctx, interaction, init, input.mask ? [input.mask.dataUrl] : []);
  });
}

/** The child job of a pop-up's submit: a `modal` request on the pressed button (see `jobs/submit.ts`). */
export function popupChildInit(pressed: Pressed, input: PopupInput, confirmLater: boolean): JobInit {
  const { job, taskId, button, info } = pressed;
  return {
    request: {
      kind: 'modal',
      mode: job.mode,
      taskId,
      customId: button.customId,
      prompt: input.prompt,
      enableRemix: input.enableRemix === true,
      maskUrl: input.mask?.url ?? null,
      confirmLater,
    },
    prompt: input.prompt,
    botType: job.botType,
    parentJobId: job.id,
    actionLabel: info.label || info.name,
    parentMessageUrl: messageUrl(job.message),
  };
}
