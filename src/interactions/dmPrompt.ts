import type { Message } from 'discord.js';
import { t } from '../i18n/index.js';
import type { Requester } from '../jobs/limits.js';
import { withSuffix } from '../jobs/promptSuffix.js';
import type { BotContext } from './context.js';
import { precheckLimits } from './refusals.js';
import { startJobAt } from './startJob.js';
import { UserError } from './userError.js';
import { checkAttachmentSizes, checkPrompt, readImages } from './userInput.js';

/** Image prompts taken from one DM, like /imagine's three image options. */
const MAX_IMAGES = 3;

/** The language of a DM: the user's choice in /settings, else what their client last reported, else English. */
export async function dmLocale(ctx: BotContext, userId: string): Promise<string> {
  const prefs = await ctx.prefs.get(userId);
  return prefs.locale ?? (await ctx.seenLocales.get(userId)) ?? 'en';
}

/**
 * A plain message in a DM with the bot is an /imagine prompt (its image attachments are image prompts): the bot
 * replies with a message of its own (no interaction token: it is edited through the channel) and tracks the
 * job exactly like /imagine. Messages in servers, and the bot's own, are ignored.
 */
export async function handleDmMessage(ctx: BotContext, message: Message): Promise<void> {
  if (message.author.bot || message.system || message.guildId !== null) return;
  const userId = message.author.id;
  let locale = 'en';
  let placeholder: Message | null = null;
  const log = ctx.logger.child({ userId, messageId: message.id });
  try {
    locale = await dmLocale(ctx, userId);
    if (!ctx.config.serveDms) throw new UserError('access.dmsOff');
    const images = [...message.attachments.values()].slice(0, MAX_IMAGES);
    const text = message.content.trim();
    if (!text && images.length === 0) {
      await message.reply({ content: t(locale, 'dm.hint'), allowedMentions: { parse: [] } });
      return;
    }
    const prefs = await ctx.prefs.get(userId);
    const prompt = checkPrompt(ctx, text ? withSuffix(text, prefs.suffix) : '');
    checkAttachmentSizes(ctx, images);
    await precheckLimits(ctx, asRequester(userId));
    log.info({ images: images.length }, 'DM prompt');
    const base64Array = await readImages(ctx, images);
    const mode = prefs.mode ?? ctx.config.mjMode;
    const botType = prefs.botType;
    placeholder = await message.reply({
      content: t(locale, 'status.waiting'),
      allowedMentions: { parse: [], repliedUser: false },
    });
    const channelId = message.channelId;
    await startJobAt(
      ctx,
      {
        ownerId: userId,
        locale,
        message: { guildId: null, channelId, messageId: placeholder.id, interaction: null },
        requester: asRequester(userId),
      },
      {
        request: { kind: 'imagine', mode, botType, prompt, imageUrls: images.map((a) => a.url) },
        prompt,
        botType,
        imageCount: base64Array.length,
      },
      base64Array,
    );
  } catch (err) {
    let text: string;
    if (err instanceof UserError) {
      log.info({ reason: err.key }, 'DM prompt refused');
      text = t(locale, err.key, err.vars);
    } else {
      log.error({ err }, 'DM prompt failed');
      text = t(locale, 'error.internal');
    }
    const answer = { content: text, allowedMentions: { parse: [] } };
    await (placeholder ? placeholder.edit(answer) : message.reply(answer)).catch((e) =>
      log.warn({ err: e }, 'could not answer a DM'),
    );
  }
}

function asRequester(userId: string): Requester {
  return { userId, guildId: null, manager: false };
}
