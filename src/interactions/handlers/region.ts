import {
  type ButtonInteraction,
  FileUploadBuilder,
  LabelBuilder,
  ModalBuilder,
  type ModalSubmitInteraction,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import { request } from 'undici';
import { LIMITS } from '../../constants.js';
import { t } from '../../i18n/index.js';
import type { Job } from '../../jobs/types.js';
import { DownloadError, download } from '../../media/download.js';
import { imageSize } from '../../media/imageSize.js';
import { checkMask } from '../../media/mask.js';
import { makeCustomId } from '../../render/customId.js';
import type { BotContext } from '../context.js';
import { UserError } from '../userError.js';
import {
  loadPressed,
  ofFamily,
  PROMPT_FIELD,
  type Pressed,
  parentPrompt,
  startPopupChild,
  submittedPrompt,
} from './popup.js';
import { offerRegionEditor } from './regionEditor.js';

const MASK_FIELD = 'mask';
/** Bytes of the parent image read to find its size (headers sit at the start; a JPEG's EXIF can be long). */
const HEAD_BYTES = 512 * 1024;
const TIMEOUT_MS = 15_000;

/**
 * 🖌️ Vary (Region): the editor's link when it is on (`regionEditor.ts`); else a pop-up with the prompt and a mask
 * upload (white = regenerate, black = keep, as the hint says), shown at once.
 */
export async function openRegionModal(
  ctx: BotContext,
  interaction: ButtonInteraction,
  pressed: Pressed,
): Promise<void> {
  // With PUBLIC_URL the region is painted in the browser: a link to the editor instead of the upload.
  if (await offerRegionEditor(ctx, interaction, pressed)) return;
  const { job, index } = pressed;
  const locale = interaction.locale;
  const prompt = new LabelBuilder()
    .setLabel(t(locale, 'region.promptLabel').slice(0, LIMITS.modalTitle))
    .setTextInputComponent(
      new TextInputBuilder()
        .setCustomId(PROMPT_FIELD)
        .setStyle(TextInputStyle.Paragraph)
        .setRequired(true)
        .setMaxLength(LIMITS.textInput)
        .setValue(parentPrompt(job).slice(0, LIMITS.textInput)),
    );
  const mask = new LabelBuilder()
    .setLabel(t(locale, 'region.maskLabel').slice(0, LIMITS.modalTitle))
    .setDescription(t(locale, 'region.maskHint').slice(0, 100))
    .setFileUploadComponent(
      new FileUploadBuilder().setCustomId(MASK_FIELD).setMinValues(1).setMaxValues(1).setRequired(true),
    );
  const modal = new ModalBuilder()
    .setCustomId(makeCustomId({ kind: 'modal', form: 'region', jobId: job.id, index }))
    .setTitle(t(locale, 'modal.regionTitle').slice(0, LIMITS.modalTitle))
    .addLabelComponents(prompt, mask);
  await interaction.showModal(modal);
  ctx.logger.info({ jobId: job.id, userId: interaction.user.id }, 'vary region pop-up shown');
}

/**
 * The Vary (Region) pop-up's submit: one mask, a PNG with the image's aspect ratio, sent as a PNG data URL in
 * `maskBase64` with the prompt. A bad mask is refused before anything is sent upstream.
 */
export async function submitRegionModal(
  ctx: BotContext,
  interaction: ModalSubmitInteraction,
  jobId: string,
  index: number,
): Promise<void> {
  const pressed = await loadPressed(ctx, interaction, jobId, index, ofFamily('vary_region'));
  const prompt = submittedPrompt(ctx, interaction);
  const files = interaction.fields.getUploadedFiles(MASK_FIELD, false);
  const file = files?.first();
  if (!file || (files?.size ?? 0) !== 1) throw new UserError('region.maskMissing');
  const max = ctx.config.maxImageBytes;
  const maxText = `${Math.round(max / 1024 / 1024)} MiB`;
  if (file.size > max) throw new UserError('region.maskTooLarge', { max: maxText });
  const log = { jobId, userId: interaction.user.id };
  await startPopupChild(
    ctx,
    interaction,
    pressed,
    async () => {
      let data: Buffer;
      try {
        ({ data } = await download(file.url, { maxBytes: max, timeoutMs: TIMEOUT_MS }));
      } catch (err) {
        ctx.logger.info({ ...log, err }, 'mask download failed');
        if (err instanceof DownloadError && err.reason === 'too_large') {
          throw new UserError('region.maskTooLarge', { max: maxText });
        }
        throw new UserError('region.maskUnreadable');
      }
      const image = await sizeOfImage(ctx, interaction, pressed.job);
      const mask = checkMask(data, image);
      if (!mask.ok) {
        ctx.logger.info({ ...log, reason: mask.key }, 'mask refused');
        throw new UserError(mask.key, mask.vars);
      }
      return { prompt, mask: { url: file.url, dataUrl: mask.dataUrl } };
    },
    false,
  );
}

/**
 * The size of the image the mask is for: from the job message's attachment when Discord says it, else read from
 * the start of the upstream image. Null when neither is known: the mask's type is still checked.
 */
async function sizeOfImage(
  ctx: BotContext,
  interaction: ModalSubmitInteraction,
  job: Job,
): Promise<{ width: number; height: number } | null> {
  const shown = interaction.message?.attachments.find((a) => !!a.width && !!a.height);
  if (shown?.width && shown.height) return { width: shown.width, height: shown.height };
  const url = job.task?.imageUrl;
  if (!url) return null;
  try {
    return imageSize(await readHead(url));
  } catch (err) {
    ctx.logger.warn({ jobId: job.id, err }, 'image size unknown; checking the mask type only');
    return null;
  }
}

/** The first bytes of an upstream image, enough for its header. */
async function readHead(url: string): Promise<Buffer> {
  const res = await request(url, { method: 'GET', signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (res.statusCode >= 400) {
    await res.body.dump();
    throw new Error(`image answered HTTP ${res.statusCode}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size >= HEAD_BYTES) break; // leaving the loop destroys the body
  }
  return Buffer.concat(chunks);
}
