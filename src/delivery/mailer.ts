import { DiscordAPIError, type RawFile, type REST, Routes } from 'discord.js';
import type Keyv from 'keyv';
import { COLORS, LIMITS } from '../constants.js';
import { t } from '../i18n/index.js';
import type { JobEventBus } from '../jobs/events.js';
import type { PrefsStore } from '../jobs/prefs.js';
import type { Job } from '../jobs/types.js';
import type { Logger } from '../log.js';
import { download } from '../media/download.js';
import { messageUrl } from '../render/links.js';
import { imageFileName } from '../render/message.js';
import { truncate } from '../render/text.js';

/** Discord's answer when a user does not accept DMs from the bot. */
const DMS_CLOSED = 50007;
/** How long the "already sent" mark of an auto-DM is kept. */
const AUTO_DM_MARK_MS = 7 * 24 * 3_600_000;

export type MailOutcome = 'sent' | 'closed' | 'failed';

export interface ResultMailerOptions {
  rest: REST;
  keyv: Keyv;
  /** The hub: a job that finished goes to its requester's DMs when they asked for it (auto-DM). */
  events: JobEventBus;
  prefs: PrefsStore;
  /** The seed of a finished task, when the upstream can tell. */
  seedOf: (taskId: string) => Promise<string>;
  logger: Logger;
  uploadLimit: number;
}

/**
 * Sends a finished job to someone's DMs: the image (uploaded when it fits, else linked), the full prompt, the
 * job id and the seed where the upstream gives it. Used by the ✉️ button and by auto-DM (`/settings`).
 */
export class ResultMailer {
  constructor(private readonly o: ResultMailerOptions) {
    o.events.on('finished', ({ job }) => this.auto(job));
  }

  /**
   * Sends `job` to `userId`'s DMs, written in `locale`, after `note` when given; 'closed' when they do not accept
   * DMs from the bot.
   */
  async send(job: Job, userId: string, locale: string, note?: string): Promise<MailOutcome> {
    const seed =
      job.taskId && job.phase === 'succeeded' ? await this.o.seedOf(job.taskId).catch(() => null) : null;
    const url = messageUrl(job.message);
    const lines = [
      ...(note ? [note, ''] : []),
      t(locale, 'dm.prompt', { prompt: job.prompt }),
      t(locale, 'dm.jobId', { id: job.taskId ?? job.id }),
      ...(seed ? [t(locale, 'dm.seed', { seed })] : []),
      ...(url && !job.message.gone ? [t(locale, 'dm.link', { url })] : []),
    ];
    const imageUrl = job.phase === 'succeeded' ? (job.task?.imageUrl ?? null) : null;
    const files = imageUrl ? await this.image(job, imageUrl) : undefined;
    const image = files?.[0] ? `attachment://${files[0].name}` : imageUrl;
    const body = {
      embeds: [
        {
          color: COLORS.success,
          description: truncate(lines.join('\n'), LIMITS.embedDescription),
          ...(image ? { image: { url: image } } : {}),
        },
      ],
      allowed_mentions: { parse: [] },
      ...(files ? { attachments: [{ id: 0, filename: files[0]?.name }] } : {}),
    };
    try {
      const channel = (await this.o.rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as {
        id: string;
      };
      await this.o.rest.post(Routes.channelMessages(channel.id), { body, files });
      this.o.logger.info({ jobId: job.id, userId }, 'job result sent to DMs');
      return 'sent';
    } catch (err) {
      if (err instanceof DiscordAPIError && Number(err.code) === DMS_CLOSED) {
        this.o.logger.info(
          { jobId: job.id, userId },
          'the user does not accept DMs from the bot; carrying on',
        );
        return 'closed';
      }
      this.o.logger.warn({ jobId: job.id, userId, err }, 'could not send the result to DMs');
      return 'failed';
    }
  }

  /** Auto-DM: a job that just succeeded goes once to its requester's DMs when they asked for it. */
  auto(job: Job): void {
    if (job.phase !== 'succeeded') return;
    void this.autoSend(job).catch((err) => this.o.logger.warn({ jobId: job.id, err }, 'auto-DM failed'));
  }

  private async autoSend(job: Job): Promise<void> {
    const prefs = await this.o.prefs.get(job.ownerId);
    if (!prefs.autoDm) return;
    const mark = `autodm:${job.id}`;
    if (await this.o.keyv.get(mark)) return;
    await this.o.keyv.set(mark, true, AUTO_DM_MARK_MS);
    await this.send(job, job.ownerId, job.locale);
  }

  /**
   * A private job whose message can no longer be edited: its final state goes to the requester's DMs (a success
   * only when auto-DM does not send it already).
   */
  async privateFinal(job: Job): Promise<void> {
    if (job.phase === 'succeeded' && (await this.o.prefs.get(job.ownerId)).autoDm) return;
    const why =
      job.phase === 'failed' ? t(job.locale, `failure.${job.failure?.kind ?? 'upstream_failure'}`) : null;
    const note = [t(job.locale, 'dm.privateResult'), ...(why ? [why] : [])].join('\n');
    await this.send(job, job.ownerId, job.locale, note);
  }

  private async image(job: Job, url: string): Promise<RawFile[] | undefined> {
    try {
      const { data } = await download(url, { maxBytes: this.o.uploadLimit, timeoutMs: 20_000 });
      return [{ name: imageFileName(job), data }];
    } catch (err) {
      this.o.logger.info({ jobId: job.id, err }, 'DM image not attached; linking it instead');
      return undefined;
    }
  }
}
