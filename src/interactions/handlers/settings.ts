import {
  type ButtonInteraction,
  LabelBuilder,
  MessageFlags,
  ModalBuilder,
  type ModalSubmitInteraction,
  type StringSelectMenuInteraction,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import type {
  APIActionRowComponent,
  APIComponentInMessageActionRow,
  APISelectMenuOption,
} from 'discord-api-types/v10';
import type { Config } from '../../config.js';
import { LIMITS } from '../../constants.js';
import { type MessageKey, t } from '../../i18n/index.js';
import { DEFAULT_PREFS, type UserPrefs } from '../../jobs/prefs.js';
import { isValidSuffix } from '../../jobs/promptSuffix.js';
import { button, rows } from '../../render/components.js';
import { makeCustomId } from '../../render/customId.js';
import { MODES, type Mode } from '../../upstream/types.js';
import type { BotContext } from '../context.js';
import { UserError } from '../userError.js';

type Row = APIActionRowComponent<APIComponentInMessageActionRow>;

/** Longest suffix kept. */
const SUFFIX_MAX = 300;
const TOGGLES = { remix: 'settings.remix', private: 'settings.private', autoDm: 'settings.autoDm' } as const;
type Toggle = keyof typeof TOGGLES;
const LANGUAGES: ReadonlyArray<{ value: string; label: string | null }> = [
  { value: 'auto', label: null },
  { value: 'en', label: 'English' },
  { value: 'zh-CN', label: '简体中文' },
];

const id = (field: string) => makeCustomId({ kind: 'settings', field });

function select(field: string, options: APISelectMenuOption[]): Row {
  return { type: 1, components: [{ type: 3, custom_id: id(field), options, min_values: 1, max_values: 1 }] };
}

const modeWord = (locale: string, mode: Mode) => t(locale, `mode.${mode}`);
const botWord = (locale: string, prefs: UserPrefs) =>
  t(locale, prefs.botType === 'NIJI_JOURNEY' ? 'bot.niji' : 'bot.mj');
const onOff = (locale: string, on: boolean) => t(locale, on ? 'settings.on' : 'settings.off');

/** The ephemeral /settings panel: a summary, selects for mode / bot / DM language, toggles and the suffix. */
export function settingsPanel(
  locale: string,
  prefs: UserPrefs,
  config: Pick<Config, 'mjMode'>,
): { content: string; components: Row[] } {
  const mode = prefs.mode
    ? modeWord(locale, prefs.mode)
    : t(locale, 'settings.default', { value: modeWord(locale, config.mjMode) });
  const language =
    LANGUAGES.find((l) => l.value === (prefs.locale ?? 'auto'))?.label ?? t(locale, 'settings.languageAuto');
  const line = (label: MessageKey, value: string) =>
    t(locale, 'settings.line', { label: t(locale, label), value });
  const summary = [
    `**${t(locale, 'settings.title')}**`,
    `${line('settings.mode', mode)} · ${line('settings.bot', botWord(locale, prefs))}`,
    ...(Object.keys(TOGGLES) as Toggle[]).map((k) => line(TOGGLES[k], onOff(locale, prefs[k]))),
    line('settings.suffix', prefs.suffix ? `\`${prefs.suffix}\`` : t(locale, 'settings.none')),
    line('settings.language', language),
    '',
    `-# ${t(locale, 'settings.intro')}`,
    ...(prefs.private ? [`-# ${t(locale, 'settings.privateNote')}`] : []),
  ];
  const modeOptions: APISelectMenuOption[] = [
    {
      label: t(locale, 'settings.default', { value: modeWord(locale, config.mjMode) }),
      value: 'default',
      default: prefs.mode === null,
    },
    ...MODES.map((m) => ({
      label: t(locale, 'settings.modeOption', { mode: modeWord(locale, m) }),
      value: m,
      default: prefs.mode === m,
    })),
  ];
  const niji = prefs.botType === 'NIJI_JOURNEY';
  const toggles = (Object.keys(TOGGLES) as Toggle[]).map((k) =>
    button({ id: { kind: 'settings', field: k }, label: t(locale, TOGGLES[k]), style: prefs[k] ? 3 : 2 }),
  );
  const suffix = button({
    id: { kind: 'settings', field: 'suffix' },
    label: t(locale, 'settings.suffixButton'),
    style: 1,
  });
  const reset = button({
    id: { kind: 'settings', field: 'reset' },
    label: t(locale, 'settings.reset'),
    style: 4,
  });
  return {
    content: summary.join('\n'),
    components: [
      select('mode', modeOptions),
      select('bot', [
        { label: t(locale, 'bot.mj'), value: 'mj', default: !niji },
        { label: t(locale, 'bot.niji'), value: 'niji', default: niji },
      ]),
      select(
        'locale',
        LANGUAGES.map((l) => ({
          label: l.label ?? t(locale, 'settings.languageAuto'),
          value: l.value,
          default: (prefs.locale ?? 'auto') === l.value,
        })),
      ),
      ...(rows([[...toggles, suffix, reset]]) as Row[]),
    ],
  };
}

/** What a choice in a select of the panel changes. */
function selected(field: string, value: string | undefined): Partial<UserPrefs> {
  if (field === 'mode') return { mode: MODES.includes(value as Mode) ? (value as Mode) : null };
  if (field === 'bot') return { botType: value === 'niji' ? 'NIJI_JOURNEY' : null };
  if (field === 'locale') return { locale: value === 'en' || value === 'zh-CN' ? value : null };
  throw new UserError('button.invalid');
}

/** A select or button of the /settings panel: saves the change and shows the panel again, updated. */
export async function pressSettings(
  ctx: BotContext,
  interaction: ButtonInteraction | StringSelectMenuInteraction,
  field: string,
): Promise<void> {
  const userId = interaction.user.id;
  if (field === 'suffix' && interaction.isButton()) return openSuffixModal(ctx, interaction);
  let patch: Partial<UserPrefs>;
  if (interaction.isStringSelectMenu()) patch = selected(field, interaction.values[0]);
  else if (field === 'reset') patch = { ...DEFAULT_PREFS };
  else if (field in TOGGLES) {
    const current = await ctx.prefs.get(userId);
    patch = { [field]: !current[field as Toggle] };
  } else throw new UserError('button.invalid');
  const prefs = await ctx.prefs.set(userId, patch);
  ctx.logger.info({ userId, field }, 'settings changed');
  await interaction.update(settingsPanel(interaction.locale, prefs, ctx.config));
}

async function openSuffixModal(ctx: BotContext, interaction: ButtonInteraction): Promise<void> {
  const prefs = await ctx.prefs.get(interaction.user.id);
  const input = new TextInputBuilder()
    .setCustomId('suffix')
    .setStyle(TextInputStyle.Short)
    .setRequired(false)
    .setMaxLength(SUFFIX_MAX);
  if (prefs.suffix) input.setValue(prefs.suffix);
  const modal = new ModalBuilder()
    .setCustomId(id('suffix'))
    .setTitle(t(interaction.locale, 'settings.suffixTitle').slice(0, LIMITS.modalTitle))
    .addLabelComponents(
      new LabelBuilder()
        .setLabel(t(interaction.locale, 'settings.suffixLabel').slice(0, LIMITS.modalTitle))
        .setTextInputComponent(input),
    );
  await interaction.showModal(modal);
}

/** The suffix pop-up's submit: checks and saves the suffix, then updates the panel it came from. */
export async function submitSettingsModal(
  ctx: BotContext,
  interaction: ModalSubmitInteraction,
  field: string,
): Promise<void> {
  if (field !== 'suffix') throw new UserError('button.invalid');
  const suffix = interaction.fields.getTextInputValue('suffix').trim().replace(/\s+/g, ' ');
  if (!isValidSuffix(suffix)) throw new UserError('settings.suffixInvalid');
  const prefs = await ctx.prefs.set(interaction.user.id, { suffix });
  ctx.logger.info({ userId: interaction.user.id, field }, 'settings changed');
  const panel = settingsPanel(interaction.locale, prefs, ctx.config);
  if (interaction.isFromMessage()) await interaction.update(panel);
  else await interaction.reply({ ...panel, flags: MessageFlags.Ephemeral });
}
