/** Message context menu commands (type 3): the Apps menu of a message, as a user would use it. */
import { snowflake } from './ids.js';
import type { InteractionContext } from './interactions.js';
import { serializeMessage } from './messages.js';
import type { FakeState } from './state.js';
import type { ApiJson, FakeUser } from './types.js';

/** "Apps → <name>" on message `messageId` (a bot message or one injected with `userMessage`). */
export interface MessageCommandSpec {
  name: string;
  messageId: string;
  user: FakeUser;
  locale?: string;
  memberPermissions?: string;
  memberRoles?: string[];
}

const MESSAGE_COMMAND = 3;

/** Data and place of the interaction: the target message resolved in `data.resolved.messages`, as Discord sends it. */
export function messageCommandInteraction(
  state: FakeState,
  spec: MessageCommandSpec,
): { ctx: InteractionContext; data: ApiJson } {
  const message = state.messages.get(spec.messageId) ?? state.userMessages.get(spec.messageId);
  if (!message || message.deleted) throw new Error(`FakeDiscord: no message ${spec.messageId}`);
  const registered = [
    ...(message.guildId ? (state.commands.guilds.get(message.guildId) ?? []) : []),
    ...state.commands.global,
  ];
  // Like slash commands: the registered command's id, else (a DM with guild-only commands) a stable made-up one.
  const command = registered.find((c) => c.name === spec.name && c.type === MESSAGE_COMMAND) ?? {
    id: state.commandIds.get(`menu:${spec.name}`) ?? snowflake(),
  };
  state.commandIds.set(`menu:${spec.name}`, String(command.id));
  return {
    ctx: {
      user: spec.user,
      guildId: message.guildId,
      channelId: message.channelId,
      locale: spec.locale,
      memberPermissions: spec.memberPermissions,
      memberRoles: spec.memberRoles,
    },
    data: {
      id: String(command.id ?? snowflake()),
      name: spec.name,
      type: MESSAGE_COMMAND,
      target_id: message.id,
      resolved: { messages: { [message.id]: serializeMessage(state, message) } },
      ...(command.guild_id ? { guild_id: command.guild_id } : {}),
    },
  };
}
