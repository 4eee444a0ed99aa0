import type {
  ChatInputCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
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
}
