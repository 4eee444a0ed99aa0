import { type Interaction, MessageFlags, type RepliableInteraction } from 'discord.js';
import { t } from '../i18n/index.js';
import type { Logger } from '../log.js';
import { UserError } from './userError.js';

/**
 * Sends an ephemeral note to the user whatever state the interaction is in: reply when not yet answered,
 * else a follow-up. When a public deferred reply is still a placeholder it is removed first, so a refused
 * request leaves no empty message behind.
 */
export async function tellUser(interaction: RepliableInteraction, text: string): Promise<void> {
  if (!interaction.deferred && !interaction.replied) {
    await interaction.reply({ content: text, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
    return;
  }
  // `ephemeral` is false only after a public deferReply; after deferUpdate it is null and the message is not ours to delete.
  if (interaction.deferred && !interaction.replied && interaction.ephemeral === false) {
    await interaction.deleteReply().catch(() => undefined);
  }
  await interaction.followUp({
    content: text,
    flags: MessageFlags.Ephemeral,
    allowedMentions: { parse: [] },
  });
}

/** Answers a failed interaction: a UserError with its own text, anything else with a generic note and a log line. */
export async function answerError(interaction: Interaction, err: unknown, logger: Logger): Promise<void> {
  if (!interaction.isRepliable()) return;
  const locale = interaction.locale;
  let text: string;
  if (err instanceof UserError) {
    logger.info({ userId: interaction.user.id, reason: err.key }, 'request refused');
    text = t(locale, err.key, err.vars);
  } else {
    logger.error({ userId: interaction.user.id, err }, 'interaction failed');
    text = t(locale, 'error.internal');
  }
  await tellUser(interaction, text).catch((e) =>
    logger.warn({ err: e }, 'could not tell the user about an error'),
  );
}
