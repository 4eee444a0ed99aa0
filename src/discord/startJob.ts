import type { RepliableInteraction } from 'discord.js';
import type { NewJob } from '../jobs/service.js';
import type { Job, MessageRef } from '../jobs/types.js';
import type { SubmitResult } from '../upstream/types.js';
import type { BotContext } from './context.js';

/** An interaction token lives 15 minutes. */
export const TOKEN_LIFETIME_MS = 15 * 60_000;

/** Where the reply to this (already deferred) interaction lives and how to edit it. */
export function messageRefOf(interaction: RepliableInteraction): MessageRef {
  return {
    guildId: interaction.guildId,
    channelId: interaction.channelId ?? '',
    messageId: null,
    interaction: {
      applicationId: interaction.applicationId,
      token: interaction.token,
      expiresAt: interaction.createdTimestamp + TOKEN_LIFETIME_MS,
    },
  };
}

/** Jump link to a message. */
export function messageUrl(ref: MessageRef): string | null {
  if (!ref.messageId) return null;
  return `https://discord.com/channels/${ref.guildId ?? '@me'}/${ref.channelId}/${ref.messageId}`;
}

/**
 * The common tail of every command and button that starts a job, after the interaction was deferred:
 * save the job, show "Waiting to start" in the deferred reply (which gives the message id), send the one
 * submit, and hand the job to the tracker. Returns the job as it stands after the submit.
 */
export async function startJob(
  ctx: BotContext,
  interaction: RepliableInteraction,
  init: Omit<NewJob, 'message' | 'ownerId' | 'locale'> & { ownerId?: string },
  send: () => Promise<SubmitResult>,
): Promise<Job> {
  const job = await ctx.jobs.create({
    ...init,
    ownerId: init.ownerId ?? interaction.user.id,
    locale: interaction.locale,
    message: messageRefOf(interaction),
  });
  await ctx.publisher.deliver(job);
  const current = (await ctx.store.get(job.id)) ?? job;
  return ctx.jobs.submit(current, send);
}
