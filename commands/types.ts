import { ApplicationIntegrationType, InteractionContextType } from 'discord.js';

export type { Command, MessageCommand } from '../src/interactions/command.js';

/** Usable in guilds, the bot's DMs and group DMs, for server and user installs. */
export const EVERYWHERE = {
  contexts: [
    InteractionContextType.Guild,
    InteractionContextType.BotDM,
    InteractionContextType.PrivateChannel,
  ],
  integration_types: [ApplicationIntegrationType.GuildInstall, ApplicationIntegrationType.UserInstall],
};
