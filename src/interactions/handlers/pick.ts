import {
  type ButtonInteraction,
  MessageFlags,
  ModalBuilder,
  type ModalSubmitInteraction,
  type RepliableInteraction,
} from 'discord.js';
import { LIMITS } from '../../constants.js';
import { t } from '../../i18n/index.js';
import { resultPrompts } from '../../jobs/results.js';
import type { Job } from '../../jobs/types.js';
import { makeCustomId } from '../../render/customId.js';
import { messageUrl } from '../../render/links.js';
import type { BotContext } from '../context.js';
import { requesterOf } from '../policy.js';
import { assertMayPress, loadJob, once } from '../press.js';
import { deferJobReply, type JobInit, messageRefOf, startJob, startJobAt } from '../startJob.js';
import { UserError } from '../userError.js';
import { promptLabel, submittedPrompt } from './popup.js';

/** Describe results offer four prompts; "Imagine all" never starts more than this many jobs. */
const MAX_ALL = 4;

/** A finished describe/shorten job and its prompts, or the reason it offers none. */
async function loadResult(ctx: BotContext, interaction: RepliableInteraction, jobId: string) {
  const job = await loadJob(ctx, jobId);
  assertMayPress(ctx, interaction, job);
  const prompts = job.phase === 'succeeded' ? resultPrompts(job) : [];
  return { job, prompts };
}

/**
 * A describe/shorten prompt button (1 2 3 4 / 1️⃣…5️⃣): a pop-up pre-filled with that prompt. The upstream's own
 * PicReader / PromptAnalyzer buttons are refused by aggregators, so the bot imagines the text itself.
 */
export async function openPickModal(
  ctx: BotContext,
  interaction: ButtonInteraction,
  jobId: string,
  n: number,
): Promise<void> {
  const { job, prompts } = await loadResult(ctx, interaction, jobId);
  const prompt = prompts[n - 1];
  if (!prompt) throw new UserError('pick.gone');
  const modal = new ModalBuilder()
    .setCustomId(makeCustomId({ kind: 'modal', form: 'pick', jobId: job.id, index: n }))
    .setTitle(t(interaction.locale, 'modal.pickTitle').slice(0, LIMITS.modalTitle))
    .addLabelComponents(promptLabel(t(interaction.locale, 'modal.promptLabel'), prompt));
  await interaction.showModal(modal);
}

/** A new imagine of prompt `n` of `job`, with the job's mode and bot. */
function imagineInit(job: Job, prompt: string, n: number): JobInit {
  return {
    request: { kind: 'imagine', mode: job.mode, botType: job.botType, prompt, imageUrls: [] },
    prompt,
    botType: job.botType,
    parentJobId: job.id,
    actionLabel: String(n),
    parentMessageUrl: messageUrl(job.message),
  };
}

/** The pick pop-up's submit: `/mj/submit/imagine` with the (edited) prompt, in a new message. */
export async function submitPickModal(
  ctx: BotContext,
  interaction: ModalSubmitInteraction,
  jobId: string,
  n: number,
): Promise<void> {
  const { job } = await loadResult(ctx, interaction, jobId);
  const prompt = submittedPrompt(ctx, interaction);
  await once(ctx, `${job.id}:pick:${n}`, async () => {
    await deferJobReply(ctx, interaction);
    ctx.logger.info({ jobId: job.id, userId: interaction.user.id, n }, 'imagining a picked prompt');
    await startJob(ctx, interaction, imagineInit(job, prompt, n));
  });
}

/**
 * 🎉 Imagine all: one imagine per prompt, each in its own message (the deferred reply for the first, follow-ups
 * for the others). A prompt a limit refuses leaves no empty message behind; the user is told why.
 */
export async function pressPickAll(
  ctx: BotContext,
  interaction: ButtonInteraction,
  jobId: string,
): Promise<void> {
  const { job, prompts } = await loadResult(ctx, interaction, jobId);
  const chosen = prompts
    .slice(0, MAX_ALL)
    .map((p) => p.replace(/\s+/g, ' ').trim().slice(0, ctx.config.maxPromptLength));
  if (chosen.length === 0) throw new UserError('pick.gone');
  await once(ctx, `${job.id}:pickall`, async () => {
    await deferJobReply(ctx, interaction);
    ctx.logger.info(
      { jobId: job.id, userId: interaction.user.id, count: chosen.length },
      'imagining every prompt',
    );
    const [first = '', ...rest] = chosen;
    await startJob(ctx, interaction, imagineInit(job, first, 1));
    for (const [i, prompt] of rest.entries()) {
      const placeholder = await interaction.followUp({
        content: t(interaction.locale, 'status.waiting'),
        allowedMentions: { parse: [] },
        ...(interaction.ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
      });
      const origin = {
        ownerId: interaction.user.id,
        locale: interaction.locale,
        message: { ...messageRefOf(interaction), messageId: placeholder.id, followUp: true },
        requester: requesterOf(interaction),
      };
      try {
        await startJobAt(ctx, origin, imagineInit(job, prompt, i + 2));
      } catch (err) {
        await interaction.deleteReply(placeholder.id).catch(() => undefined);
        throw err;
      }
    }
  });
}
