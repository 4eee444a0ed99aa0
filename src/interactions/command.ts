import type {
  ApplicationCommandType,
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  MessageContextMenuCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import type { BotContext } from './context.js';

/** A slash command: its definition (registered with Discord) and its handler, in one file under `commands/`. */
export interface Command {
  data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  /**
   * True when it starts a job, and so spends the server owner's upstream credit: it is held to the server's own
   * rules and to the limits before `execute` runs (`policy.ts`). Required, so a new command decides.
   */
  spends: boolean;
  execute(ctx: BotContext, interaction: ChatInputCommandInteraction): Promise<void>;
  /** Choices for an option marked `autocomplete` as the user types; answers at most 25 (never throws to the user). */
  autocomplete?(ctx: BotContext, interaction: AutocompleteInteraction): Promise<void>;
}

/**
 * A message context menu command (Apps menu of any message): its definition (type 3, names with zh-CN
 * `name_localizations`) and its handler, in one file under `commands/`. `spends` as for {@link Command}.
 */
export interface MessageCommand {
  data: RESTPostAPIContextMenuApplicationCommandsJSONBody & { type: ApplicationCommandType.Message };
  spends: boolean;
  execute(ctx: BotContext, interaction: MessageContextMenuCommandInteraction): Promise<void>;
}
