import type { Interaction } from 'discord.js';
import type { Job } from '../jobs/types.js';
import type { BotContext } from './context.js';
import { isServerManager } from './policy.js';
import { UserError } from './userError.js';

const DAY_MS = 24 * 60 * 60_000;

/** Loads the job a button or pop-up points at, or answers that it is too old (its record expired). */
export async function loadJob(ctx: BotContext, jobId: string): Promise<Job> {
  const job = await ctx.store.get(jobId);
  // Job records stay until JOB_RETENTION_DAYS after they finished (even when their message is deleted): a
  // button whose job is gone belongs to a job that old.
  if (!job)
    throw new UserError('button.expiredJob', { days: Math.round(ctx.config.jobRetentionMs / DAY_MS) });
  return job;
}

/**
 * Who may press a job's buttons: its requester and people who manage the server always; anyone else only where
 * the button policy is `anyone` (the server's `/mj-admin buttons`, else `BUTTON_POLICY`). In DMs, the requester.
 * The server's settings come from the cache the policy check warmed for this interaction.
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
