import {
  type APIApplicationCommandBasicOption,
  ApplicationCommandOptionType,
  type Attachment,
  type ChatInputCommandInteraction,
  type RepliableInteraction,
} from 'discord.js';
import type { BotContext } from '../src/interactions/context.js';
import type { UserPrefs } from '../src/jobs/prefs.js';
import type { BotType, Mode } from '../src/upstream/types.js';

/** `mode`: fast / relax / turbo; unset → the user's preference, then `MJ_MODE`. */
export const MODE_OPTION = {
  type: ApplicationCommandOptionType.String,
  name: 'mode',
  description: 'Speed mode (default: your preference, else the bot’s)',
  description_localizations: { 'zh-CN': '速度模式（默认：你的偏好，否则为机器人的设置）' },
  required: false,
  choices: [
    { name: 'Fast', name_localizations: { 'zh-CN': '快速' }, value: 'fast' },
    { name: 'Relax', name_localizations: { 'zh-CN': '慢速' }, value: 'relax' },
    { name: 'Turbo', name_localizations: { 'zh-CN': '极速' }, value: 'turbo' },
  ],
} satisfies APIApplicationCommandBasicOption;

/** Choice values of `bot` → the upstream's `botType`. */
const BOT_TYPES: Readonly<Record<string, BotType>> = { midjourney: 'MID_JOURNEY', niji: 'NIJI_JOURNEY' };

/** `bot`: Midjourney or Niji, sent upstream as `botType`; unset → the user's preference, then Midjourney. */
export const BOT_OPTION = {
  type: ApplicationCommandOptionType.String,
  name: 'bot',
  description: 'Midjourney or Niji (default: your preference, else Midjourney)',
  description_localizations: { 'zh-CN': 'Midjourney 或 Niji（默认：你的偏好，否则为 Midjourney）' },
  required: false,
  choices: [
    { name: 'Midjourney', value: 'midjourney' },
    { name: 'Niji', value: 'niji' },
  ],
} satisfies APIApplicationCommandBasicOption;

/** An image attachment option. */
export function imageOption(
  name: string,
  description: string,
  zh: string,
  required = false,
): APIApplicationCommandBasicOption {
  return {
    type: ApplicationCommandOptionType.Attachment,
    name,
    description,
    description_localizations: { 'zh-CN': zh },
    required,
  };
}

/**
 * The speed mode and bot of a command: its options first (a slash command's), then the user's stored
 * preferences, then the bot's.
 */
export async function modeAndBot(
  ctx: BotContext,
  interaction: RepliableInteraction,
  known?: Pick<UserPrefs, 'mode' | 'botType'>,
): Promise<{ mode: Mode; botType: BotType | null }> {
  const prefs = known ?? (await ctx.prefs.get(interaction.user.id));
  const options = interaction.isChatInputCommand() ? interaction.options : null;
  const option = options?.getString(MODE_OPTION.name) ?? null;
  const mode = option === 'fast' || option === 'relax' || option === 'turbo' ? option : null;
  const bot = options?.getString(BOT_OPTION.name) ?? null;
  const botType = (bot ? BOT_TYPES[bot] : undefined) ?? prefs.botType ?? null;
  return { mode: mode ?? prefs.mode ?? ctx.config.mjMode, botType };
}

/** The attachments given for `names`, in that order. */
export function attachmentsOf(
  interaction: ChatInputCommandInteraction,
  names: readonly string[],
): Attachment[] {
  return names.map((n) => interaction.options.getAttachment(n)).filter((a): a is Attachment => a !== null);
}
