import type { ButtonInteraction, Interaction, ModalSubmitInteraction } from 'discord.js';
import type { Command } from '../../commands/types.js';
import { openRemixModal, submitRemixModal } from './components/remix.js';
import { pressUpstreamButton } from './components/upstreamButton.js';
import type { BotContext } from './context.js';
import { type CustomIdData, parseCustomId } from './customId.js';
import { answerError } from './respond.js';
import { UserError } from './userError.js';

/** The one place every interaction enters: commands by name, buttons and modals by custom_id kind. */
export function createRouter(ctx: BotContext, commands: Map<string, Command>) {
  return async function route(interaction: Interaction): Promise<void> {
    const log = ctx.logger.child({ interactionId: interaction.id, userId: interaction.user.id });
    try {
      if (interaction.isChatInputCommand()) {
        const command = commands.get(interaction.commandName);
        if (!command) throw new UserError('error.unknownCommand');
        log.info({ command: interaction.commandName, guildId: interaction.guildId }, 'command');
        await command.execute(ctx, interaction);
      } else if (interaction.isButton()) {
        await routeButton(ctx, interaction, parseOrRefuse(interaction.customId));
      } else if (interaction.isModalSubmit()) {
        await routeModal(ctx, interaction, parseOrRefuse(interaction.customId));
      }
    } catch (err) {
      await answerError(interaction, err, log);
    }
  };
}

function parseOrRefuse(customId: string): CustomIdData {
  const data = parseCustomId(customId);
  if (!data) throw new UserError('button.invalid');
  return data;
}

async function routeButton(
  ctx: BotContext,
  interaction: ButtonInteraction,
  data: CustomIdData,
): Promise<void> {
  switch (data.kind) {
    case 'btn':
      return pressUpstreamButton(ctx, interaction, data.jobId, data.index);
    case 'remix':
      return openRemixModal(ctx, interaction, data.jobId);
    default:
      throw new UserError('button.invalid');
  }
}

async function routeModal(
  ctx: BotContext,
  interaction: ModalSubmitInteraction,
  data: CustomIdData,
): Promise<void> {
  if (data.kind === 'modal' && data.form === 'remix') return submitRemixModal(ctx, interaction, data.jobId);
  throw new UserError('button.invalid');
}
