import type { Interaction } from 'discord.js';
import type { CustomIdData } from '../render/customId.js';
import { assertMayUse, requesterOf } from './access.js';
import { precheckLimits } from './admission.js';
import type { BotContext } from './context.js';

/** Commands that never start a job: served wherever the bot is allowed, whatever the server's own rules. */
const FREE_COMMANDS: ReadonlySet<string> = new Set(['help', 'settings', 'info', 'mj-admin']);
/** Components whose press starts a new job. */
const SPENDING_KINDS: ReadonlySet<string> = new Set(['btn', 'pick', 'pickall', 'redescribe', 'retry']);
/** Modals whose submit starts a new job (remix continues one). */
const SPENDING_FORMS: ReadonlySet<string> = new Set(['zoom', 'region', 'pick', 'press']);

/** True when the interaction starts a job (and so spends the server owner's upstream credit). */
export function spends(interaction: Interaction, data: CustomIdData | null): boolean {
  if (interaction.isChatInputCommand()) return !FREE_COMMANDS.has(interaction.commandName);
  if (!data) return false;
  if (data.kind === 'modal') return SPENDING_FORMS.has(data.form);
  return SPENDING_KINDS.has(data.kind);
}

/**
 * Before any handler runs: may this user be served here (the operator's and the server's rules), and, when it
 * starts a job, do the limits let it? Refusals are UserErrors, answered ephemerally. Also notes the user's
 * language for later DMs.
 */
export async function gate(
  ctx: BotContext,
  interaction: Interaction,
  data: CustomIdData | null,
): Promise<void> {
  void ctx.seenLocales
    .remember(interaction.user.id, interaction.locale)
    .catch((err) => ctx.logger.warn({ err }, 'could not note the user language'));
  const spending = spends(interaction, data);
  await assertMayUse(ctx, interaction, spending);
  if (spending) await precheckLimits(ctx, requesterOf(interaction));
}
