import { DiscordAPIError, MessageFlags, type RawFile, type REST, Routes } from 'discord.js';
import type { Job } from '../jobs/types.js';
import type { Logger } from '../log.js';
import type { Clock } from '../util/clock.js';

/** Discord's answer when a user does not accept DMs from the bot. */
const DMS_CLOSED = 50007;
/** Keep this much of the interaction token's 15 minutes in reserve. */
export const TOKEN_MARGIN_MS = 30_000;

/** Where a message was posted. */
export interface Posted {
  channelId: string;
  messageId: string;
}

/**
 * Reaches a job's requester outside the job's message (when the bot lost access to its channel): an ephemeral
 * follow-up through the interaction token while it is valid, else a DM. Closed DMs (50007) are logged and the
 * bot carries on.
 */
export class Notifier {
  constructor(private readonly o: { rest: REST; clock: Clock; logger: Logger }) {}

  /** True when the job's interaction token can still be used. */
  tokenValid(job: Job): boolean {
    const token = job.message.interaction;
    return !!token && token.expiresAt - TOKEN_MARGIN_MS > this.o.clock.now();
  }

  /** Tells the requester `content`; resolves false when no route reached them. */
  async tell(job: Job, content: string): Promise<boolean> {
    const token = job.message.interaction;
    const body = { content, flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } };
    if (token && this.tokenValid(job)) {
      try {
        await this.o.rest.post(Routes.webhook(token.applicationId, token.token), { body, auth: false });
        return true;
      } catch (err) {
        this.o.logger.info({ jobId: job.id, err }, 'ephemeral follow-up refused; trying a DM');
      }
    }
    return (await this.dm(job, { content, allowed_mentions: { parse: [] } })) !== null;
  }

  /** Posts a message in the requester's DMs; null when they do not accept DMs or Discord refused. */
  async dm(job: Job, body: Record<string, unknown>, files?: RawFile[]): Promise<Posted | null> {
    try {
      const channel = (await this.o.rest.post(Routes.userChannels(), {
        body: { recipient_id: job.ownerId },
      })) as { id: string };
      const msg = (await this.o.rest.post(Routes.channelMessages(channel.id), { body, files })) as {
        id: string;
      };
      return { channelId: channel.id, messageId: msg.id };
    } catch (err) {
      if (err instanceof DiscordAPIError && Number(err.code) === DMS_CLOSED) {
        this.o.logger.info(
          { jobId: job.id, userId: job.ownerId },
          'the requester does not accept DMs from the bot; carrying on',
        );
      } else {
        this.o.logger.warn({ jobId: job.id, err }, 'could not DM the requester');
      }
      return null;
    }
  }
}
