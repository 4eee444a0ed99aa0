import {
  type APIActionRowComponent,
  type APIButtonComponentWithURL,
  type ButtonInteraction,
  ButtonStyle,
  ComponentType,
  MessageFlags,
  type REST,
  Routes,
} from 'discord.js';
import type { EditorPress } from '../../http/editor/links.js';
import { type MessageKey, t } from '../../i18n/index.js';
import type { Job, MessageRef } from '../../jobs/types.js';
import { classifyButton } from '../../render/buttons.js';
import { messageUrl } from '../../render/links.js';
import type { BotContext } from '../context.js';
import { isServerManager } from '../policy.js';
import { loadJob, once } from '../press.js';
import { type JobOrigin, startJobAt } from '../startJob.js';
import { UserError } from '../userError.js';
import { checkPrompt } from '../userInput.js';
import { ofFamily, type Pressed, parentPrompt, popupChildInit } from './popup.js';

/** A link button's URL may be at most this long. */
const MAX_LINK_URL = 512;

/** What the editor is told when the bot will not go on: a catalogue key, shown on the page. */
export type EditorAnswer<T> =
  | ({ ok: true } & T)
  | { ok: false; key: MessageKey; vars?: Record<string, string | number> };

/**
 * 🖌️ Vary (Region) with the editor on (PUBLIC_URL): an ephemeral answer, to the presser only, with a link button to
 * the editor page. False when the pop-up should open instead (no editor, private results, a too-long URL).
 */
export async function offerRegionEditor(
  ctx: BotContext,
  interaction: ButtonInteraction,
  pressed: Pressed,
): Promise<boolean> {
  const editor = ctx.regionEditor;
  if (!editor) return false;
  // Private results stay private: the editor's job would be posted in the channel, so the pop-up is used.
  if ((await ctx.prefs.get(interaction.user.id)).private) return false;
  const url = editor.urlFor({
    jobId: pressed.job.id,
    index: pressed.index,
    userId: interaction.user.id,
    locale: interaction.locale,
    guildId: interaction.guildId,
    channelId: interaction.channelId ?? pressed.job.message.channelId,
    manager: isServerManager(interaction),
  });
  if (url.length > MAX_LINK_URL) {
    ctx.logger.warn(
      { jobId: pressed.job.id, length: url.length },
      'editor link too long; showing the pop-up',
    );
    return false;
  }
  const locale = interaction.locale;
  // Plain JSON: the emoji as Discord documents it (a builder adds `animated`, which strict validators refuse).
  const button: APIButtonComponentWithURL = {
    type: ComponentType.Button,
    style: ButtonStyle.Link,
    url,
    label: t(locale, 'editor.open'),
    emoji: { name: '🖌️' },
  };
  const row: APIActionRowComponent<APIButtonComponentWithURL> = {
    type: ComponentType.ActionRow,
    components: [button],
  };
  await interaction.reply({
    content: t(locale, 'editor.offer', { minutes: editor.minutes }),
    components: [row],
    flags: MessageFlags.Ephemeral,
  });
  ctx.logger.info({ jobId: pressed.job.id, userId: interaction.user.id }, 'vary region editor link sent');
  return true;
}

/** The job behind a link, checked as a press would be: its image and prompt for the page. */
export async function openForEditor(
  ctx: BotContext,
  press: EditorPress,
): Promise<EditorAnswer<{ prompt: string; imageUrl: string }>> {
  return answer(async () => {
    const { job } = await pressedFor(ctx, press);
    const imageUrl = job.task?.imageUrl;
    if (!imageUrl) throw new UserError('button.unknownJob');
    return { prompt: parentPrompt(job), imageUrl };
  });
}

/**
 * The editor's submit: the same child job as the pop-up's (a `modal` request through `startJobAt`, limits and
 * queue included). There is no interaction token, so its message is posted in the channel first, replying to the
 * parent, and edited through the channel route. Resolves with the jump link of that message.
 */
export async function startEditorRegionJob(
  ctx: BotContext,
  rest: REST,
  press: EditorPress,
  input: { prompt: string; maskDataUrl: string },
): Promise<EditorAnswer<{ url: string | null }>> {
  let placeholder: MessageRef | null = null;
  let started = false;
  try {
    return await answer(async () => {
      const pressed = await pressedFor(ctx, press);
      const prompt = checkPrompt(ctx, input.prompt);
      return once(ctx, `${press.jobId}:${press.index}`, async () => {
        const message = await postPlaceholder(rest, press, pressed.job);
        placeholder = message;
        const origin: JobOrigin = {
          ownerId: press.userId,
          locale: press.locale,
          message,
          requester: { userId: press.userId, guildId: press.guildId, manager: press.manager },
        };
        // The mask has no Discord URL: its data URL is its address, so Retry can send it again.
        const mask = { url: input.maskDataUrl, dataUrl: input.maskDataUrl };
        const init = popupChildInit(pressed, { prompt, mask }, false);
        ctx.logger.info({ jobId: press.jobId, userId: press.userId }, 'editor region sent');
        await startJobAt(ctx, origin, init, [input.maskDataUrl]);
        started = true;
        return { url: messageUrl(message) };
      });
    });
  } finally {
    // A refused start (limits, queue caps) leaves no placeholder behind.
    const left = placeholder as MessageRef | null;
    if (!started && left?.messageId) {
      await rest.delete(Routes.channelMessage(left.channelId, left.messageId)).catch((err: unknown) => {
        ctx.logger.warn(
          { jobId: press.jobId, err },
          'could not remove the placeholder of a refused editor submit',
        );
      });
    }
  }
}

/** The job and its Vary (Region) button, for this presser: as `loadPressed` checks a pop-up, without one. */
async function pressedFor(ctx: BotContext, press: EditorPress): Promise<Pressed> {
  const job = await loadJob(ctx, press.jobId);
  await assertMayPressAs(ctx, press, job);
  const button = job.task?.buttons[press.index];
  if (!button || !job.taskId || job.phase !== 'succeeded') throw new UserError('button.unknownJob');
  const info = classifyButton(button);
  if (!ofFamily('vary_region')(info)) throw new UserError('button.invalid');
  return { job, taskId: job.taskId, index: press.index, button, info };
}

/** `assertMayPress` for a presser known by id: the requester, a manager, or anyone where the policy says so. */
async function assertMayPressAs(ctx: BotContext, press: EditorPress, job: Job): Promise<void> {
  const settings = press.guildId ? await ctx.guilds.get(press.guildId) : null;
  if (settings && !press.manager && settings.blockedUsers.includes(press.userId)) {
    throw new UserError('access.blocked');
  }
  if (job.ownerId === press.userId || press.manager) return;
  const policy = settings ? (settings.buttonPolicy ?? ctx.config.buttonPolicy) : 'requester';
  if (policy !== 'anyone') throw new UserError('editor.notYours');
}

/** The child's message, posted at once in the channel (replying to the parent when it is there). */
async function postPlaceholder(rest: REST, press: EditorPress, parent: Job): Promise<MessageRef> {
  const p = parent.message;
  const replyTo = p.channelId === press.channelId && p.messageId && !p.ephemeral ? p.messageId : null;
  const posted = (await rest.post(Routes.channelMessages(press.channelId), {
    body: {
      content: t(press.locale, 'editor.starting'),
      allowed_mentions: { parse: [] },
      ...(replyTo ? { message_reference: { message_id: replyTo, fail_if_not_exists: false } } : {}),
    },
  })) as { id: string };
  return { guildId: press.guildId, channelId: press.channelId, messageId: posted.id, interaction: null };
}

/** Runs `fn`; a UserError becomes a refusal the page shows. */
async function answer<T>(fn: () => Promise<T>): Promise<EditorAnswer<T>> {
  try {
    return { ok: true, ...(await fn()) };
  } catch (err) {
    if (err instanceof UserError) return { ok: false, key: err.key, vars: err.vars };
    throw err;
  }
}
