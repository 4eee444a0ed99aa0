import { type Interaction, PermissionFlagsBits } from 'discord.js';
import type { Job } from '../jobs/types.js';
import type { BotContext } from './context.js';
import { UserError } from './userError.js';

/** True when the user may manage the server the interaction comes from. */
export function isServerManager(interaction: Interaction): boolean {
  return (
    interaction.inGuild() && (interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false)
  );
}

/** A job's buttons belong to its requester; people who manage the server may always press them. */
export function assertMayPress(_ctx: BotContext, interaction: Interaction, job: Job): void {
  if (job.ownerId === interaction.user.id || isServerManager(interaction)) return;
  throw new UserError('button.notYours', { owner: `<@${job.ownerId}>` });
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
