import {
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  ApplicationCommandOptionType,
  ApplicationIntegrationType,
  type ChatInputCommandInteraction,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
} from 'discord.js';
import { t } from '../src/i18n/index.js';
import type { BotContext } from '../src/interactions/context.js';
import { isServerManager } from '../src/interactions/policy.js';
import { UserError } from '../src/interactions/userError.js';
import { DEFAULT_GUILD_SETTINGS, type GuildSettings, toggled } from '../src/jobs/guildSettings.js';
import type { Command } from './types.js';

function target(
  type:
    | ApplicationCommandOptionType.Channel
    | ApplicationCommandOptionType.Role
    | ApplicationCommandOptionType.User,
  name: string,
  zh: string,
  description: string,
  zhDescription: string,
): APIApplicationCommandBasicOption {
  return {
    type,
    name,
    name_localizations: { 'zh-CN': zh },
    description,
    description_localizations: { 'zh-CN': zhDescription },
    required: true,
  } as APIApplicationCommandBasicOption;
}

const CHANNEL = target(ApplicationCommandOptionType.Channel, 'channel', '频道', 'The channel', '频道');
const ROLE = target(ApplicationCommandOptionType.Role, 'role', '身份组', 'The role', '身份组');
const USER = target(ApplicationCommandOptionType.User, 'user', '用户', 'The member', '成员');

function sub(
  name: string,
  zh: string,
  description: string,
  zhDescription: string,
  options: APIApplicationCommandBasicOption[] = [],
): APIApplicationCommandSubcommandOption {
  return {
    type: ApplicationCommandOptionType.Subcommand,
    name,
    name_localizations: { 'zh-CN': zh },
    description,
    description_localizations: { 'zh-CN': zhDescription },
    options,
  };
}

/** The id a channel, role or user option holds (read as given, so it needs no resolved object). */
function idOf(i: ChatInputCommandInteraction, name: string): string {
  return String(i.options.get(name, true).value);
}

/** What each subcommand does to the server's settings. */
const CHANGES: Record<string, (s: GuildSettings, i: ChatInputCommandInteraction) => GuildSettings> = {
  'allow-channel': (s, i) => ({
    ...s,
    channels: toggled(s.channels, idOf(i, 'channel'), true),
  }),
  'disallow-channel': (s, i) => ({
    ...s,
    channels: toggled(s.channels, idOf(i, 'channel'), false),
  }),
  'allow-role': (s, i) => ({ ...s, roles: toggled(s.roles, idOf(i, 'role'), true) }),
  'disallow-role': (s, i) => ({ ...s, roles: toggled(s.roles, idOf(i, 'role'), false) }),
  block: (s, i) => ({
    ...s,
    blockedUsers: toggled(s.blockedUsers, idOf(i, 'user'), true),
  }),
  unblock: (s, i) => ({
    ...s,
    blockedUsers: toggled(s.blockedUsers, idOf(i, 'user'), false),
  }),
  buttons: (s, i) => {
    const policy = i.options.getString('policy', true);
    return { ...s, buttonPolicy: policy === 'requester' || policy === 'anyone' ? policy : null };
  },
  reset: () => ({ ...DEFAULT_GUILD_SETTINGS }),
};

/** The server's settings as a manager reads them. */
export function describeGuildSettings(ctx: BotContext, locale: string, s: GuildSettings): string {
  const list = (ids: string[], format: (id: string) => string, empty: 'admin.everywhere' | 'admin.nobody') =>
    ids.length > 0 ? ids.map(format).join(', ') : t(locale, empty);
  const policy = s.buttonPolicy
    ? t(locale, `admin.policy.${s.buttonPolicy}`)
    : t(locale, 'admin.policy.default', { policy: t(locale, `admin.policy.${ctx.config.buttonPolicy}`) });
  return t(locale, 'admin.summary', {
    channels: list(s.channels, (id) => `<#${id}>`, 'admin.everywhere'),
    roles: list(s.roles, (id) => `<@&${id}>`, 'admin.everywhere'),
    users: list(s.blockedUsers, (id) => `<@${id}>`, 'admin.nobody'),
    policy,
  });
}

/**
 * `/mj-admin`: what people with Manage Server set for their server (stored under `guild:<id>`): channels and
 * roles that may start jobs, blocked members, and who may press a job's buttons.
 */
export const mjAdmin: Command = {
  spends: false,
  data: {
    name: 'mj-admin',
    name_localizations: { 'zh-CN': '机器人管理' },
    description: 'Server settings of the bot (Manage Server): channels, roles, blocked members, buttons',
    description_localizations: {
      'zh-CN': '机器人的服务器设置（需“管理服务器”权限）：频道、身份组、禁止的成员、按钮',
    },
    default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
    contexts: [InteractionContextType.Guild],
    integration_types: [ApplicationIntegrationType.GuildInstall],
    options: [
      sub(
        'allow-channel',
        '允许频道',
        'Allow starting jobs in a channel (none listed: everywhere)',
        '允许在某个频道生成（未设置时：所有频道）',
        [CHANNEL],
      ),
      sub('disallow-channel', '移除频道', 'Remove a channel from the allowed ones', '从允许的频道中移除', [
        CHANNEL,
      ]),
      sub(
        'allow-role',
        '允许身份组',
        'Allow a role to start jobs (none listed: everyone)',
        '允许某个身份组生成（未设置时：所有人）',
        [ROLE],
      ),
      sub('disallow-role', '移除身份组', 'Remove a role from the allowed ones', '从允许的身份组中移除', [
        ROLE,
      ]),
      sub('block', '禁止成员', 'Block a member from starting jobs here', '禁止某个成员在这里生成', [USER]),
      sub('unblock', '解除禁止', 'Unblock a member', '解除对某个成员的禁止', [USER]),
      sub('buttons', '按钮权限', "Who may press a job's buttons", '谁可以点击任务的按钮', [
        {
          type: ApplicationCommandOptionType.String,
          name: 'policy',
          name_localizations: { 'zh-CN': '规则' },
          description: 'Requester only, anyone, or the bot default',
          description_localizations: { 'zh-CN': '仅发起人、任何人，或机器人默认' },
          required: true,
          choices: [
            { name: 'Requester only', name_localizations: { 'zh-CN': '仅发起人' }, value: 'requester' },
            { name: 'Anyone', name_localizations: { 'zh-CN': '任何人' }, value: 'anyone' },
            { name: 'Bot default', name_localizations: { 'zh-CN': '机器人默认' }, value: 'default' },
          ],
        },
      ]),
      sub('show', '查看', "Show this server's settings", '查看本服务器的设置'),
      sub('reset', '重置', "Reset this server's settings", '重置本服务器的设置'),
    ],
  },

  async execute(ctx, interaction) {
    const guildId = interaction.guildId;
    if (!guildId) throw new UserError('access.guildOnly');
    if (!isServerManager(interaction)) throw new UserError('access.notManager');
    const name = interaction.options.getSubcommand(true);
    const change = CHANGES[name];
    const settings = change
      ? await ctx.guilds.update(guildId, (s) => change(s, interaction))
      : await ctx.guilds.get(guildId);
    if (change)
      ctx.logger.info({ guildId, userId: interaction.user.id, change: name }, 'server settings changed');
    const summary = describeGuildSettings(ctx, interaction.locale, settings);
    await interaction.reply({
      content: change ? t(interaction.locale, 'admin.saved', { summary: `\n${summary}` }) : summary,
      flags: MessageFlags.Ephemeral,
      allowedMentions: { parse: [] },
    });
  },
};
