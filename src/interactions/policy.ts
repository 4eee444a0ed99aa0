import { type Interaction, PermissionFlagsBits } from 'discord.js';
import type { GuildSettings } from '../jobs/guildSettings.js';
import type { Requester } from '../jobs/limits.js';
import type { BotContext } from './context.js';
import { precheckLimits } from './refusals.js';
import { UserError } from './userError.js';

/** True when the user may manage the server the interaction comes from. */
export function isServerManager(interaction: Interaction): boolean {
  return (
    interaction.inGuild() && (interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false)
  );
}

/** The requester as the limits see them. */
export function requesterOf(interaction: Interaction): Requester {
  return { userId: interaction.user.id, guildId: interaction.guildId, manager: isServerManager(interaction) };
}

function roleIdsOf(interaction: Interaction): string[] {
  const roles = interaction.member?.roles;
  if (!roles) return [];
  return Array.isArray(roles) ? roles : [...roles.cache.keys()];
}

/** The channel and, for a thread, its parent: an allowed channel allows its threads. */
function channelIdsOf(interaction: Interaction): string[] {
  const channel = interaction.channel;
  const parent = channel?.isThread() ? channel.parentId : null;
  return [interaction.channelId ?? '', parent ?? ''].filter(Boolean);
}

/** Checks a server's own rules (blocked users, allowed channels and roles) for one who is not a manager. */
function assertServerRules(
  settings: GuildSettings,
  place: { userId: string; channelIds: string[]; roleIds: string[] },
): void {
  if (settings.blockedUsers.includes(place.userId)) throw new UserError('access.blocked');
  if (settings.channels.length > 0 && !place.channelIds.some((c) => settings.channels.includes(c))) {
    throw new UserError('access.channel', { channels: settings.channels.map((c) => `<#${c}>`).join(', ') });
  }
  if (settings.roles.length > 0 && !place.roleIds.some((r) => settings.roles.includes(r))) {
    throw new UserError('access.role', { roles: settings.roles.map((r) => `<@&${r}>`).join(', ') });
  }
}

/**
 * Run by the router before every handler. Everything is held to the operator's rules (`ALLOWED_GUILDS`,
 * `SERVE_DMS`); what `spends` (starts a job, on the server owner's upstream credit) is also held to the server's
 * own rules, which people with Manage Server pass, and then to the limits, checked at once before anything is
 * deferred or downloaded. Loads (and so caches) the server's settings for the handler.
 * @throws UserError saying why not, answered ephemerally.
 */
export async function enforcePolicy(
  ctx: BotContext,
  interaction: Interaction,
  spends: boolean,
): Promise<void> {
  const guildId = interaction.guildId;
  if (!guildId) {
    if (!ctx.config.serveDms) throw new UserError('access.dmsOff');
  } else {
    if (ctx.config.allowedGuilds.length > 0 && !ctx.config.allowedGuilds.includes(guildId)) {
      throw new UserError('access.guildNotAllowed');
    }
    const settings = await ctx.guilds.get(guildId);
    if (spends && !isServerManager(interaction)) {
      assertServerRules(settings, {
        userId: interaction.user.id,
        channelIds: channelIdsOf(interaction),
        roleIds: roleIdsOf(interaction),
      });
    }
  }
  if (spends) await precheckLimits(ctx, requesterOf(interaction));
}
