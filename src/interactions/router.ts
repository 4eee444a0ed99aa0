import type { Interaction } from 'discord.js';
import { type CustomIdData, parseCustomId } from '../render/customId.js';
import type { Command, MessageCommand } from './command.js';
import type { BotContext } from './context.js';
import { enforcePolicy } from './policy.js';
import { answerError } from './respond.js';
import { type Route, routeOf } from './routes.js';
import { UserError } from './userError.js';

/**
 * The one place every interaction enters: slash and message commands by name, buttons, selects and modals through
 * the route table by custom_id. Each goes through the policy (`policy.ts`), told whether it spends, before its
 * handler runs. Autocomplete only reads (its command answers with choices, never with an error).
 */
export function createRouter(
  ctx: BotContext,
  commands: Map<string, Command>,
  messageCommands: Map<string, MessageCommand> = new Map(),
) {
  return async function route(interaction: Interaction): Promise<void> {
    const log = ctx.logger.child({ interactionId: interaction.id, userId: interaction.user.id });
    try {
      noteLocale(ctx, interaction);
      if (interaction.isChatInputCommand()) {
        const command = commands.get(interaction.commandName);
        if (!command) throw new UserError('error.unknownCommand');
        log.info({ command: interaction.commandName, guildId: interaction.guildId }, 'command');
        await enforcePolicy(ctx, interaction, command.spends);
        await command.execute(ctx, interaction);
      } else if (interaction.isMessageContextMenuCommand()) {
        const command = messageCommands.get(interaction.commandName);
        if (!command) throw new UserError('error.unknownCommand');
        log.info({ command: interaction.commandName, guildId: interaction.guildId }, 'message command');
        await enforcePolicy(ctx, interaction, command.spends);
        await command.execute(ctx, interaction);
      } else if (interaction.isAutocomplete()) {
        await commands.get(interaction.commandName)?.autocomplete?.(ctx, interaction);
      } else if (interaction.isButton()) {
        const { route, data } = routed(interaction.customId);
        const handler = route.button ?? refuse();
        await enforcePolicy(ctx, interaction, route.spends);
        await handler(ctx, interaction, data);
      } else if (interaction.isStringSelectMenu()) {
        const { route, data } = routed(interaction.customId);
        const handler = route.select ?? refuse();
        await enforcePolicy(ctx, interaction, route.spends);
        await handler(ctx, interaction, data);
      } else if (interaction.isModalSubmit()) {
        const { route, data } = routed(interaction.customId);
        const handler = route.modal ?? refuse();
        await enforcePolicy(ctx, interaction, route.spends);
        await handler(ctx, interaction, data);
      }
    } catch (err) {
      await answerError(interaction, err, log);
    }
  };
}

/** Notes the user's language for later DMs (plain prompts, results sent by DM). */
function noteLocale(ctx: BotContext, interaction: Interaction): void {
  void ctx.seenLocales
    .remember(interaction.user.id, interaction.locale)
    .catch((err) => ctx.logger.warn({ err }, 'could not note the user language'));
}

/** Decodes a custom_id and finds its route; a foreign or stale id is refused. */
function routed(customId: string): { route: Route<CustomIdData>; data: CustomIdData } {
  const data = parseCustomId(customId);
  if (!data) throw new UserError('button.invalid');
  return { route: routeOf(data), data };
}

/** A custom_id on an interaction its route does not answer (a button id in a modal…): foreign or forged. */
function refuse(): never {
  throw new UserError('button.invalid');
}
