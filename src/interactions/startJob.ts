import { MessageFlags, type RepliableInteraction } from 'discord.js';
import type { Requester } from '../jobs/limits.js';
import type { UserPrefs } from '../jobs/prefs.js';
import { LimitError, type Send } from '../jobs/queue.js';
import { rememberRemixPrompt } from '../jobs/remixFollowUp.js';
import type { NewJob } from '../jobs/service.js';
import { type LoadImages, prepareSubmit, type SubmitDeps } from '../jobs/submit.js';
import type { Job, MessageRef } from '../jobs/types.js';
import { download, sniffImage } from '../media/download.js';
import type { BotContext } from './context.js';
import { requesterOf } from './policy.js';
import { refusalError } from './refusals.js';
import { readUrlImage } from './urlInput.js';
import { UserError } from './userError.js';

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

/**
 * Defers a job's reply: ephemeral when the user chose private results in /settings (`prefs`, when the caller has
 * just read them: one store read less before the deferral).
 */
export async function deferJobReply(
  ctx: BotContext,
  interaction: RepliableInteraction,
  prefs?: Pick<UserPrefs, 'private'>,
): Promise<void> {
  const { private: ephemeral } = prefs ?? (await ctx.prefs.get(interaction.user.id));
  await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
}

/** Who starts a job and where its message lives. */
export interface JobOrigin {
  ownerId: string;
  locale: string;
  message: MessageRef;
  requester: Requester;
}

/**
 * What a job records beyond who asked and where its message lives: its request (its kind and mode come from
 * there), how it is shown (prompt, bot, parent, label), where it comes from.
 */
export type JobInit = Omit<
  NewJob,
  'message' | 'ownerId' | 'locale' | 'kind' | 'mode' | 'phase' | 'waitingPosition'
>;

/** A job's images: the data URLs the caller has just read, or how to read them again. */
export type JobImages = readonly string[] | LoadImages;

/**
 * The common tail of every command and button that starts a job, after the interaction was deferred:
 * see {@link startJobAt}.
 */
export async function startJob(
  ctx: BotContext,
  interaction: RepliableInteraction,
  init: JobInit,
  images: JobImages = [],
): Promise<Job> {
  const origin: JobOrigin = {
    ownerId: interaction.user.id,
    locale: interaction.locale,
    message: messageRefOf(interaction),
    requester: requesterOf(interaction),
  };
  return startJobAt(ctx, origin, init, images);
}

/**
 * Every job starts here: its submit is built from its request (`jobs/submit.ts`, the images read again first
 * when not given), the limits admit it (or refuse it with a UserError), the job is saved (`submitting`, or
 * `queued` when a limit makes it wait), its message is queued to show "Waiting to start" or its queue position
 * (the write gives the message id of a deferred reply), and the one submit is sent at once or when its turn
 * comes. Returns the job as it stands after that.
 */
export async function startJobAt(
  ctx: BotContext,
  origin: JobOrigin,
  init: JobInit,
  images: JobImages = [],
): Promise<Job> {
  const send = await prepareSubmit(submitDeps(ctx), init.request, images);
  let admitted: { job: Job; queued: boolean };
  try {
    admitted = await ctx.queue.admit(
      origin.requester,
      (start) =>
        ctx.jobs.create({
          ...init,
          ...start,
          kind: init.request.kind,
          mode: init.request.mode,
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

/** What `jobs/submit.ts` needs from the bot. */
export function submitDeps(ctx: BotContext): SubmitDeps {
  return {
    upstream: ctx.upstream,
    logger: ctx.logger,
    keepPrompt: (taskId, prompt) => rememberRemixPrompt(ctx.store.keyv, taskId, prompt),
  };
}

/**
 * A job's submit built again from its record (a queued job after a restart; Retry goes through
 * {@link startJob} with the same images): its images are read again from where they were given.
 * @throws UserError when the record cannot be sent again or its images are gone.
 */
export function resubmit(ctx: BotContext, job: Job): Promise<Send> {
  if (!job.request) return Promise.reject(new UserError('retry.unsupported'));
  return prepareSubmit(submitDeps(ctx), job.request, () => imagesAgain(ctx, job));
}

/** A job's images read again (Discord attachment URLs last about a day), each judged by its bytes. */
export async function imagesAgain(ctx: BotContext, job: Job): Promise<string[]> {
  const r = job.request;
  switch (r?.kind) {
    case 'imagine':
    case 'blend':
      return downloadAgain(ctx, r.imageUrls);
    case 'describe':
      return [await describedImage(ctx, job)];
    case 'modal':
      return r.maskUrl ? downloadAgain(ctx, [r.maskUrl]) : [];
    default:
      return [];
  }
}

async function downloadAgain(ctx: BotContext, urls: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const url of urls) {
    const image = await fetchImage(ctx, url);
    if (!image) throw new UserError('retry.imagesExpired');
    out.push(image);
  }
  return out;
}

/** A data URL of the image at `url` (a Discord attachment, an upstream image), or null when it is gone. */
async function fetchImage(ctx: BotContext, url: string): Promise<string | null> {
  if (url.startsWith('data:image/')) return url; // a mask painted in the Vary (Region) editor
  const data = await download(url, { maxBytes: ctx.config.maxImageBytes, timeoutMs: 15_000 }).then(
    (d) => d.data,
    () => null,
  );
  const type = data ? sniffImage(data) : null;
  return data && type ? `data:${type};base64,${data.toString('base64')}` : null;
}

/**
 * The image a describe job described, fetched again as a data URL: the user's own file or URL first (a URL goes
 * through the private-address checks again), then the upstream's copy. A UserError when none is left.
 */
export async function describedImage(ctx: BotContext, job: Job): Promise<string> {
  const log = { jobId: job.id, userId: job.ownerId };
  const source = job.request?.kind === 'describe' ? job.request.source : null;
  if (source && 'link' in source) {
    try {
      return await readUrlImage(ctx, source.link, log);
    } catch (err) {
      ctx.logger.info({ ...log, err }, 'the described URL is gone; trying the upstream copy');
    }
  }
  const own = source && 'imageUrl' in source ? source.imageUrl : null;
  for (const url of [own, job.task?.imageUrl]) {
    const image = url ? await fetchImage(ctx, url) : null;
    if (image) return image;
  }
  throw new UserError('describe.imageGone');
}
