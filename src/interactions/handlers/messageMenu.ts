import {
  LabelBuilder,
  type MessageContextMenuCommandInteraction,
  ModalBuilder,
  type ModalSubmitInteraction,
  StringSelectMenuBuilder,
  StringSelectMenuOptionBuilder,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import { LIMITS } from '../../constants.js';
import { t } from '../../i18n/index.js';
import type { UserPrefs } from '../../jobs/prefs.js';
import { withSuffix } from '../../jobs/promptSuffix.js';
import { type MenuForm, makeCustomId } from '../../render/customId.js';
import type { BlendDimensions, BotType, Mode } from '../../upstream/types.js';
import type { BotContext } from '../context.js';
import { deferJobReply, startJob } from '../startJob.js';
import { UserError } from '../userError.js';
import { checkAttachmentSizes, checkPrompt, type ImageFile, readImages } from '../userInput.js';
import { imagesOrRefuse, keepPending, takePending } from './messageImages.js';
import { PROMPT_FIELD } from './popup.js';

/** Image prompts an imagine takes from one message (as many as /imagine's image options). */
export const MAX_IMAGE_PROMPTS = 3;
/** Images a blend takes. */
export const BLEND_MIN = 2;
export const BLEND_MAX = 5;
const DIMENSIONS_FIELD = 'dimensions';
const DIMENSIONS: ReadonlyArray<[BlendDimensions, 'menu.square' | 'menu.portrait' | 'menu.landscape']> = [
  ['SQUARE', 'menu.square'],
  ['PORTRAIT', 'menu.portrait'],
  ['LANDSCAPE', 'menu.landscape'],
];

/** A pop-up has no mode or bot option: the user's preferences, then the bot's (as `modeAndBot` without options). */
function preferred(ctx: BotContext, prefs: UserPrefs): { mode: Mode; botType: BotType | null } {
  return { mode: prefs.mode ?? ctx.config.mjMode, botType: prefs.botType ?? null };
}

function customId(form: MenuForm, messageId: string): string {
  return makeCustomId({ kind: 'menu', menuForm: form, messageId });
}

/** "Imagine from image": the prompt pop-up, shown at once (a pop-up must be the first answer). */
export async function openImagineMenu(
  ctx: BotContext,
  interaction: MessageContextMenuCommandInteraction,
): Promise<void> {
  const files = imagesOrRefuse(interaction.targetMessage).slice(0, MAX_IMAGE_PROMPTS);
  checkAttachmentSizes(ctx, files);
  await keepPending(ctx, interaction.user.id, interaction.targetId, files);
  const locale = interaction.locale;
  const prompt = new LabelBuilder()
    .setLabel(t(locale, 'menu.promptLabel').slice(0, LIMITS.modalTitle))
    .setDescription(t(locale, 'menu.promptHint').slice(0, 100))
    .setTextInputComponent(
      new TextInputBuilder()
        .setCustomId(PROMPT_FIELD)
        .setStyle(TextInputStyle.Paragraph)
        .setRequired(true)
        .setMaxLength(LIMITS.textInput),
    );
  const modal = new ModalBuilder()
    .setCustomId(customId('imagine', interaction.targetId))
    .setTitle(t(locale, 'menu.imagineTitle', { count: files.length }).slice(0, LIMITS.modalTitle))
    .addLabelComponents(prompt);
  await interaction.showModal(modal);
}

/** "Blend images": 2–5 images of the message, a pop-up for the dimensions (a select), shown at once. */
export async function openBlendMenu(
  ctx: BotContext,
  interaction: MessageContextMenuCommandInteraction,
): Promise<void> {
  const all = imagesOrRefuse(interaction.targetMessage);
  if (all.length < BLEND_MIN) throw new UserError('menu.blendTooFew', { count: all.length });
  const files = all.slice(0, BLEND_MAX);
  checkAttachmentSizes(ctx, files);
  await keepPending(ctx, interaction.user.id, interaction.targetId, files);
  const locale = interaction.locale;
  const select = new StringSelectMenuBuilder()
    .setCustomId(DIMENSIONS_FIELD)
    .setMinValues(1)
    .setMaxValues(1)
    .addOptions(
      DIMENSIONS.map(([value, key], i) =>
        new StringSelectMenuOptionBuilder()
          .setValue(value)
          .setLabel(t(locale, key))
          .setDefault(i === 0),
      ),
    );
  const label = new LabelBuilder()
    .setLabel(t(locale, 'menu.dimensionsLabel').slice(0, LIMITS.modalTitle))
    .setDescription(t(locale, 'menu.dimensionsHint').slice(0, 100))
    .setStringSelectMenuComponent(select);
  const modal = new ModalBuilder()
    .setCustomId(customId('blend', interaction.targetId))
    .setTitle(t(locale, 'menu.blendTitle', { count: files.length }).slice(0, LIMITS.modalTitle))
    .addLabelComponents(label);
  await interaction.showModal(modal);
}

/** The dimensions chosen in the blend pop-up (Square when none came back). */
function chosenDimensions(interaction: ModalSubmitInteraction): BlendDimensions {
  const [value] = interaction.fields.getStringSelectValues(DIMENSIONS_FIELD);
  return DIMENSIONS.find(([d]) => d === value)?.[0] ?? 'SQUARE';
}

/**
 * The submit of a menu's pop-up: the images kept when it opened, read and judged by their bytes, then the one
 * submit builder (`startJob` with an `imagine` or `blend` request), like /imagine and /blend.
 */
export async function submitMenuModal(
  ctx: BotContext,
  interaction: ModalSubmitInteraction,
  form: MenuForm,
  messageId: string,
): Promise<void> {
  const files: ImageFile[] = await takePending(ctx, interaction.user.id, messageId);
  // Read once: the suffix, then whether the reply is private, then the mode and bot.
  const prefs = await ctx.prefs.get(interaction.user.id);
  const prompt =
    form === 'imagine'
      ? checkPrompt(ctx, withSuffix(interaction.fields.getTextInputValue(PROMPT_FIELD), prefs.suffix))
      : '';
  const dimensions = form === 'blend' ? chosenDimensions(interaction) : 'SQUARE';
  checkAttachmentSizes(ctx, files);
  await deferJobReply(ctx, interaction, prefs);
  const images = await readImages(ctx, files);
  const { mode, botType } = preferred(ctx, prefs);
  const imageUrls = files.map((f) => f.url);
  const request =
    form === 'imagine'
      ? { kind: 'imagine' as const, mode, botType, prompt, imageUrls }
      : { kind: 'blend' as const, mode, botType, imageUrls, dimensions };
  ctx.logger.info({ userId: interaction.user.id, form, images: images.length }, 'message menu pop-up sent');
  await startJob(ctx, interaction, { request, prompt, botType, imageCount: images.length }, images);
}
