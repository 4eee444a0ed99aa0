import { MessageFlags, type RepliableInteraction } from 'discord.js';
import type { Requester } from '../jobs/limits.js';
import { LimitError } from '../jobs/queue.js';
import type { NewJob } from '../jobs/service.js';
import type { Job, MessageRef } from '../jobs/types.js';
import type { SubmitResult } from '../upstream/types.js';
import { requesterOf } from './access.js';
import { refusalError } from './admission.js';
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
    ...(interaction.ephemeral ? { ephemeral: true } : {}),
  };
}

/** Defers a job's reply: ephemeral when the user chose private results in /settings. */
export async function deferJobReply(ctx: BotContext, interaction: RepliableInteraction): Promise<void> {
  const prefs = await ctx.prefs.get(interaction.user.id);
  await interaction.deferReply(prefs.private ? { flags: MessageFlags.Ephemeral } : {});
}

/** Who starts a job and where its message lives. */
export interface JobOrigin {
  ownerId: string;
  locale: string;
  message: MessageRef;
  requester: Requester;
}

/**
 * The common tail of every command and button that starts a job, after the interaction was deferred:
 * see {@link startJobAt}.
 */
export async function startJob(
  ctx: BotContext,
  interaction: RepliableInteraction,
  init: Omit<NewJob, 'message' | 'ownerId' | 'locale'> & { ownerId?: string },
  send: () => Promise<SubmitResult>,
): Promise<Job> {
  const origin: JobOrigin = {
    ownerId: init.ownerId ?? interaction.user.id,
    locale: interaction.locale,
    message: messageRefOf(interaction),
    requester: requesterOf(interaction),
  };
  return startJobAt(ctx, origin, init, send);
}

/**
 * Every job starts here: the limits admit it (or refuse it with a UserError), the job is saved (`submitting`,
 * or `queued` when a limit makes it wait), its message is queued to show "Waiting to start" or its queue position
 * (the write gives the message id of a deferred reply), and the one submit is sent at once or when its turn comes.
 * Returns the job as it stands after that.
 */
export async function startJobAt(
  ctx: BotContext,
  origin: JobOrigin,
  init: Omit<NewJob, 'message' | 'ownerId' | 'locale'>,
  send: () => Promise<SubmitResult>,
): Promise<Job> {
  let admitted: { job: Job; queued: boolean };
  try {
    admitted = await ctx.queue.admit(
      origin.requester,
      (start) =>
        ctx.jobs.create({
          ...init,
          ...start,
          ownerId: origin.ownerId,
          locale: origin.locale,
          message: origin.message,
        }),
      send,
    );
  } catch (err) {
    throw err instanceof LimitError ? refusalError(err.refusal) : err;
  }
  const { job, queued } = admitted;
  // Not awaited: the submit never waits for the channel's edit budget (in a busy channel that is seconds); the
  // message id comes back with the first write, whichever state it carries.
  ctx.publisher.publish(job);
  const current = (await ctx.store.get(job.id)) ?? job;
  return queued ? current : ctx.queue.run(current, send);
}
