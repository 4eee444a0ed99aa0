import type {
  ButtonInteraction,
  Interaction,
  ModalSubmitInteraction,
  StringSelectMenuInteraction,
} from 'discord.js';
import { type CustomIdData, parseCustomId } from '../render/customId.js';
import type { Command } from './command.js';
import type { BotContext } from './context.js';
import { gate } from './gate.js';
import { pressCheck } from './handlers/check.js';
import { pressCancel, pressDelete, pressDm } from './handlers/controls.js';
import { openPickModal, pressPickAll, submitPickModal } from './handlers/pick.js';
import { pressRedescribe } from './handlers/redescribe.js';
import { submitRegionModal } from './handlers/region.js';
import { openRemixModal, submitRemixModal } from './handlers/remix.js';
import { submitRemixPressModal } from './handlers/remixPress.js';
import { pressRetry } from './handlers/retry.js';
import { pressSeed } from './handlers/seed.js';
import { pressSettings, submitSettingsModal } from './handlers/settings.js';
import { pressUpstreamButton } from './handlers/upstreamButton.js';
import { submitZoomModal } from './handlers/zoom.js';
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
        await gate(ctx, interaction, null);
        await command.execute(ctx, interaction);
      } else if (interaction.isButton()) {
        const data = parseOrRefuse(interaction.customId);
        await gate(ctx, interaction, data);
        await routeButton(ctx, interaction, data);
      } else if (interaction.isStringSelectMenu()) {
        const data = parseOrRefuse(interaction.customId);
        await gate(ctx, interaction, data);
        await routeSelect(ctx, interaction, data);
      } else if (interaction.isModalSubmit()) {
        const data = parseOrRefuse(interaction.customId);
        await gate(ctx, interaction, data);
        await routeModal(ctx, interaction, data);
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
    case 'pick':
      return openPickModal(ctx, interaction, data.jobId, data.n);
    case 'pickall':
      return pressPickAll(ctx, interaction, data.jobId);
    case 'redescribe':
      return pressRedescribe(ctx, interaction, data.jobId);
    case 'seed':
      return pressSeed(ctx, interaction, data.jobId);
    case 'remix':
      return openRemixModal(ctx, interaction, data.jobId);
    case 'retry':
      return pressRetry(ctx, interaction, data.jobId);
    case 'check':
      return pressCheck(ctx, interaction, data.jobId);
    case 'cancel':
      return pressCancel(ctx, interaction, data.jobId);
    case 'delete':
      return pressDelete(ctx, interaction, data.jobId);
    case 'dm':
      return pressDm(ctx, interaction, data.jobId);
    case 'settings':
      return pressSettings(ctx, interaction, data.field);
    default:
      throw new UserError('button.invalid');
  }
}

async function routeSelect(
  ctx: BotContext,
  interaction: StringSelectMenuInteraction,
  data: CustomIdData,
): Promise<void> {
  if (data.kind === 'settings') return pressSettings(ctx, interaction, data.field);
  throw new UserError('button.invalid');
}

async function routeModal(
  ctx: BotContext,
  interaction: ModalSubmitInteraction,
  data: CustomIdData,
): Promise<void> {
  if (data.kind === 'modal' && data.form === 'remix') return submitRemixModal(ctx, interaction, data.jobId);
  if (data.kind === 'modal') {
    const { jobId, index } = data;
    if (data.form === 'zoom') return submitZoomModal(ctx, interaction, jobId, index);
    if (data.form === 'region') return submitRegionModal(ctx, interaction, jobId, index);
    if (data.form === 'press') return submitRemixPressModal(ctx, interaction, jobId, index);
    if (data.form === 'pick') return submitPickModal(ctx, interaction, jobId, index);
  }
  if (data.kind === 'settings') return submitSettingsModal(ctx, interaction, data.field);
  throw new UserError('button.invalid');
}
