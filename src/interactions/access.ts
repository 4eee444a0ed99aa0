import { type Interaction, PermissionFlagsBits } from 'discord.js';
import type { GuildSettings } from '../jobs/guildSettings.js';
import type { Requester } from '../jobs/limits.js';
import type { Job } from '../jobs/types.js';
import type { BotContext } from './context.js';
import { UserError } from './userError.js';

/** True when the user may manage the server the interaction comes from. */
export function isServerManager(interaction: Interaction): boolean {
  return (
    interaction.inGuild() && (interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false)
  );
}

/**
 * Who may press a job's buttons: its requester and people who manage the server always; anyone else only where
 * the button policy is `anyone` (the server's `/mj-admin buttons`, else `BUTTON_POLICY`). In DMs, the requester.
 * The server's settings come from the cache the router warmed for this interaction.
 */
export function assertMayPress(ctx: BotContext, interaction: Interaction, job: Job): void {
  if (job.ownerId === interaction.user.id || isServerManager(interaction)) return;
  const guildId = interaction.guildId;
  const policy = guildId ? (ctx.guilds.peek(guildId).buttonPolicy ?? ctx.config.buttonPolicy) : 'requester';
  if (policy === 'anyone') return;
  throw new UserError('button.notYours', { owner: `<@${job.ownerId}>` });
}

/** Cancel and delete: the requester or a server manager, whatever the button policy. */
export function assertOwnerOrManager(interaction: Interaction, job: Job): void {
  if (job.ownerId === interaction.user.id || isServerManager(interaction)) return;
  throw new UserError('controls.notYours', { owner: `<@${job.ownerId}>` });
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
export function assertServerRules(
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
 * May this interaction be served here? Everything checks the operator's rules (`ALLOWED_GUILDS`, `SERVE_DMS`);
 * what starts a job (`spends`) also checks the server's rules, which people with Manage Server pass. Loads
 * (and so caches) the server's settings.
 * @throws UserError saying why not.
 */
export async function assertMayUse(
  ctx: BotContext,
  interaction: Interaction,
  spends: boolean,
): Promise<void> {
  const guildId = interaction.guildId;
  if (!guildId) {
    if (!ctx.config.serveDms) throw new UserError('access.dmsOff');
    return;
  }
  if (ctx.config.allowedGuilds.length > 0 && !ctx.config.allowedGuilds.includes(guildId)) {
    throw new UserError('access.guildNotAllowed');
  }
  const settings = await ctx.guilds.get(guildId);
  if (!spends || isServerManager(interaction)) return;
  assertServerRules(settings, {
    userId: interaction.user.id,
    channelIds: channelIdsOf(interaction),
    roleIds: roleIdsOf(interaction),
  });
}

/** Loads the job a component points at, or answers that it is unknown. */
export async function loadJob(ctx: BotContext, jobId: string): Promise<Job> {
  const job = await ctx.store.get(jobId);
  if (!job) throw new UserError('button.unknownJob');
  return job;
}

/** Runs `fn` unless the same key is already running (a double click); the second press is told so. */
export async function once<T>(ctx: BotContext, key: string, fn: () => Promise<T>): Promise<T> {
  if (ctx.inFlight.has(key)) throw new UserError('button.alreadyRunning');
  ctx.inFlight.add(key);
  try {
    return await fn();
  } finally {
    ctx.inFlight.delete(key);
  }
}
