import type { Message } from 'discord.js';
import type { BotContext } from '../context.js';
import { UserError } from '../userError.js';
import type { ImageFile } from '../userInput.js';

/** Attachment names that are images, when Discord gave no content type. */
const IMAGE_NAME = /\.(png|jpe?g|gif|webp)$/i;
/** How long the images of a message wait for the pop-up opened on them to be sent (an interaction's lifetime). */
const PENDING_TTL_MS = 15 * 60_000;

/**
 * The images of a message, in order: its image attachments, then the images of its embeds through Discord's
 * media proxy (a bot's result, a link preview). Each is judged by its bytes once read (`readImages`).
 */
export function imagesOfMessage(message: Message): ImageFile[] {
  const files: ImageFile[] = [];
  for (const a of message.attachments.values()) {
    const type = a.contentType ?? '';
    if (type.startsWith('image/') || (!type && IMAGE_NAME.test(a.name))) {
      files.push({ url: a.url, name: a.name, size: a.size });
    }
  }
  for (const [i, embed] of message.embeds.entries()) {
    // Only Discord's own proxy copy: an embed's original URL may point anywhere.
    const url = embed.image?.proxyURL ?? embed.thumbnail?.proxyURL;
    if (url) files.push({ url, name: `embed-${i + 1}`, size: 0 });
  }
  return files;
}

/** The images of the message a context menu was used on; a clear refusal when it has none. */
export function imagesOrRefuse(message: Message): ImageFile[] {
  const files = imagesOfMessage(message);
  if (files.length === 0) throw new UserError('menu.noImage');
  return files;
}

const pendingKey = (userId: string, messageId: string) => `menu:${userId}:${messageId}`;

/** Keeps the images a pop-up was opened on until its submit (which carries only the message id). */
export async function keepPending(
  ctx: BotContext,
  userId: string,
  messageId: string,
  files: readonly ImageFile[],
): Promise<void> {
  await ctx.store.keyv.set(pendingKey(userId, messageId), files, PENDING_TTL_MS);
}

/**
 * The images kept for this user's pop-up on `messageId`; a clear refusal when they are gone (expired, or the
 * pop-up was sent already).
 */
export async function takePending(ctx: BotContext, userId: string, messageId: string): Promise<ImageFile[]> {
  const key = pendingKey(userId, messageId);
  const files = await ctx.store.keyv.get<ImageFile[]>(key);
  if (!Array.isArray(files) || files.length === 0) throw new UserError('menu.expired');
  await ctx.store.keyv.delete(key);
  return files;
}
