/**
 * What a person does on the page, done on the local Discord through the emulator's own methods (as the tests do):
 * run a command, press a button, choose in a select menu, submit a pop-up, use a message's Apps menu, write a
 * message (with files).
 */
import type {
  CommandOption,
  FakeAttachmentSpec,
  FakeDiscord,
  InteractionHandle,
} from '../emulators/discord/index.js';
import type { Live } from './live.js';
import type { Json } from './shared.js';
import { GUILD_ID, userById } from './world.js';

/** A file as the page sends it. */
export interface UploadedFile {
  filename: string;
  contentType: string;
  /** The bytes, base64. */
  data: string;
}

type Body = Record<string, Json>;

const NO_ANSWER: Record<string, string> = {
  'zh-CN': '应用程序未响应',
  'en-US': 'The application did not respond',
};

function file(f: UploadedFile, option?: string): FakeAttachmentSpec {
  return {
    filename: f.filename,
    contentType: f.contentType,
    data: Buffer.from(f.data, 'base64'),
    ...(option ? { option } : {}),
  };
}

/** Does one action of the page; throws an Error (shown to the person) when Discord would refuse it. */
export function act(discord: FakeDiscord, live: Live, kind: string, body: Body): { interactionId?: string } {
  const who = userById(String(body.userId));
  if (!who) throw new Error('unknown user');
  const locale = body.locale === 'zh-CN' ? 'zh-CN' : 'en-US';
  const user = { id: who.id, username: who.username, locale };
  const channelId = String(body.channelId ?? '');
  const inGuild = channelId !== discord.dmChannelFor(who.id);
  const where = inGuild ? { guildId: GUILD_ID, channelId } : {};
  let handle: InteractionHandle;
  let command: string | null = null;
  let messageId: string | null = null;
  switch (kind) {
    case 'command': {
      command = String(body.name);
      const files = (body.files ?? {}) as Record<string, UploadedFile>;
      handle = discord.command({
        name: command,
        user,
        locale,
        ...where,
        options: (body.options ?? []) as CommandOption[],
        attachments: Object.entries(files).map(([option, f]) => file(f, option)),
      });
      break;
    }
    case 'click':
      messageId = String(body.messageId);
      handle = discord.clickButton({ messageId, customId: String(body.customId), user, locale });
      break;
    case 'select':
      messageId = String(body.messageId);
      handle = discord.selectMenu({
        messageId,
        customId: String(body.customId),
        values: (body.values ?? []).map(String),
        user,
        locale,
      });
      break;
    case 'modal': {
      messageId = body.messageId ? String(body.messageId) : null;
      const files = (body.files ?? {}) as Record<string, UploadedFile[]>;
      handle = discord.submitModal({
        customId: String(body.customId),
        fields: (body.fields ?? {}) as Record<string, string>,
        files: Object.fromEntries(Object.entries(files).map(([id, list]) => [id, list.map((f) => file(f))])),
        user,
        locale,
        ...(messageId ? { messageId } : where),
      });
      break;
    }
    case 'menu':
      // Apps → <name> on a message: a message command (type 3), answered like any other interaction.
      command = String(body.name);
      handle = discord.messageCommand({ name: command, messageId: String(body.messageId), user, locale });
      break;
    case 'message': {
      const files = (body.files ?? []) as UploadedFile[];
      void discord
        .userMessage({
          user,
          content: String(body.content ?? ''),
          ...where,
          attachments: files.map((f) => file(f)),
        })
        .then(() => live.changed())
        .catch((err: Error) => live.notice(who.id, err.message.replace(/^FakeDiscord: /, '')));
      return {};
    }
    default:
      throw new Error(`unknown action ${kind}`);
  }
  live.origins.set(handle.id, { userId: who.id, channelId, command, messageId });
  handle.response.catch(() => live.notice(who.id, NO_ANSWER[locale] ?? ''));
  live.changed();
  return { interactionId: handle.id };
}
