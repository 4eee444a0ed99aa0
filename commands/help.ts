import { MessageFlags } from 'discord.js';
import { COLORS, LIMITS } from '../src/constants.js';
import { resolveLocale, t } from '../src/i18n/index.js';
import { type Command, EVERYWHERE } from './types.js';

/** `/help`: what each command does and a cheat sheet of prompt parameters, in the user's language. */
export const help: Command = {
  spends: false,
  data: {
    name: 'help',
    name_localizations: { 'zh-CN': '帮助' },
    description: 'What each command does, and a cheat sheet of prompt parameters',
    description_localizations: { 'zh-CN': '各个命令的用途，以及提示词参数速查' },
    ...EVERYWHERE,
  },

  async execute(ctx, interaction) {
    const locale = interaction.locale;
    const zh = resolveLocale(locale) === 'zh-CN';
    // Each command explains itself through its own (localized) definition, so the list never goes stale.
    const commands = ctx.commandList
      .map((c) => {
        const name = (zh && c.name_localizations?.['zh-CN']) || c.name;
        const description = (zh && c.description_localizations?.['zh-CN']) || c.description;
        return `**/${name}** — ${description}`;
      })
      .join('\n');
    const description = [
      `**${t(locale, 'help.commands')}**`,
      commands,
      '',
      t(locale, 'help.dm'),
      t(locale, 'help.buttons'),
      '',
      `**${t(locale, 'help.paramsTitle')}**`,
      t(locale, 'help.params'),
    ].join('\n');
    await interaction.reply({
      embeds: [
        {
          color: COLORS.running,
          title: t(locale, 'help.title'),
          description: description.slice(0, LIMITS.embedDescription),
        },
      ],
      flags: MessageFlags.Ephemeral,
    });
  },
};
