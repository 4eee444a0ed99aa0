import { MessageFlags } from 'discord.js';
import { settingsPanel } from '../src/interactions/handlers/settings.js';
import { type Command, EVERYWHERE } from './types.js';

/** `/settings`: the user's defaults (mode, bot, remix, suffix, private results, auto-DM), as an ephemeral panel. */
export const settings: Command = {
  spends: false,
  data: {
    name: 'settings',
    name_localizations: { 'zh-CN': '设置' },
    description: 'View and change your settings: mode, bot, remix, suffix, private results, auto DM',
    description_localizations: { 'zh-CN': '查看和修改你的设置：模式、模型、Remix、后缀、私密结果、自动私信' },
    ...EVERYWHERE,
  },

  async execute(ctx, interaction) {
    const prefs = await ctx.prefs.get(interaction.user.id);
    await interaction.reply({
      ...settingsPanel(interaction.locale, prefs, ctx.config),
      flags: MessageFlags.Ephemeral,
      allowedMentions: { parse: [] },
    });
  },
};
