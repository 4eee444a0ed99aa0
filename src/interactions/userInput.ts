import type { Attachment } from 'discord.js';
import { DownloadError, download, sniffImage } from '../media/download.js';
import type { BotContext } from './context.js';
import { UserError } from './userError.js';

/** A prompt as the upstream will get it, or a UserError saying what is wrong with it. */
export function checkPrompt(ctx: BotContext, raw: string | null | undefined): string {
  const prompt = (raw ?? '').replace(/\s+/g, ' ').trim();
  if (prompt === '') throw new UserError('input.promptEmpty');
  if (prompt.length > ctx.config.maxPromptLength) {
    throw new UserError('input.promptTooLong', { max: ctx.config.maxPromptLength, length: prompt.length });
  }
  return prompt;
}

/** An image file as the checks need it: an attachment, or an image of a message (its declared size, 0 unknown). */
export type ImageFile = Pick<Attachment, 'url' | 'name' | 'size'>;

/** Refuses attachments that are too large by their declared size, before anything is downloaded. */
export function checkAttachmentSizes(ctx: BotContext, attachments: readonly ImageFile[]): void {
  const max = ctx.config.maxImageBytes;
  for (const a of attachments) {
    if (a.size > max) throw new UserError('input.imageTooLarge', { name: a.name, max: mib(max) });
  }
}

/**
 * Downloads image attachments and returns them as data URLs. Each file is judged by its bytes: a file that is
 * not a PNG, JPEG, GIF or WebP, or that is over the size limit, is refused and nothing is sent upstream.
 */
export async function readImages(ctx: BotContext, attachments: readonly ImageFile[]): Promise<string[]> {
  checkAttachmentSizes(ctx, attachments);
  const max = ctx.config.maxImageBytes;
  const out: string[] = [];
  for (const a of attachments) {
    let data: Buffer;
    try {
      ({ data } = await download(a.url, { maxBytes: max, timeoutMs: 15_000 }));
    } catch (err) {
      if (err instanceof DownloadError && err.reason === 'too_large') {
        throw new UserError('input.imageTooLarge', { name: a.name, max: mib(max) });
      }
      throw new UserError('input.imageUnreadable', { name: a.name });
    }
    const type = sniffImage(data);
    if (!type) throw new UserError('input.notImage', { name: a.name });
    out.push(`data:${type};base64,${data.toString('base64')}`);
  }
  return out;
}

function mib(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
}
