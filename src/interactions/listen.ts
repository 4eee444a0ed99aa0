import { type Client, Events, type Interaction, type Message } from 'discord.js';
import { t } from '../i18n/index.js';
import type { Logger } from '../log.js';
import type { Clock } from '../util/clock.js';
import { tellUser } from './respond.js';

export interface ListenOptions {
  /** Handles an interaction (slash command, button, select, pop-up) to its end. */
  route: (interaction: Interaction) => Promise<void>;
  /** Handles a plain message (in a DM with the bot, an /imagine prompt) to its end. */
  message: (message: Message) => Promise<void>;
  logger: Logger;
  clock: Clock;
  /** How long {@link DiscordListener.drain} waits for the work under way. Default 25 s. */
  graceMs?: number;
}

/**
 * Feeds what Discord sends (interactions, DM messages) to the bot's handlers and keeps count of the work under
 * way, so a shutdown stops taking new work and lets the running handlers record what they sent before the store
 * closes. Client errors are logged.
 */
export class DiscordListener {
  private accepting = true;
  /** Interactions and messages under way. */
  private readonly handling = new Set<Promise<void>>();

  constructor(
    client: Client,
    private readonly o: ListenOptions,
  ) {
    client.on(Events.InteractionCreate, (interaction) => {
      if (!this.accepting) {
        // Shutting down: nothing new starts, but the user hears why instead of "The application did not respond".
        if (interaction.isRepliable()) {
          void tellUser(interaction, t(interaction.locale, 'error.shuttingDown')).catch(() => undefined);
        }
        return;
      }
      this.run(o.route(interaction));
    });
    client.on(Events.MessageCreate, (message) => {
      if (this.accepting) this.run(o.message(message));
    });
    client.on(Events.Error, (err) => o.logger.error({ err }, 'discord client error'));
  }

  private run(work: Promise<void>): void {
    const run = work.finally(() => this.handling.delete(run));
    this.handling.add(run);
  }

  /** Stops taking interactions and messages (a shutdown): later ones are told the bot is stopping. */
  close(): void {
    this.accepting = false;
  }

  /** Waits for the work under way, at most the grace time (then says how much is left). */
  async drain(): Promise<void> {
    if (this.handling.size === 0) return;
    const { logger, clock } = this.o;
    logger.info({ interactions: this.handling.size }, 'waiting for interactions under way');
    const grace = clock.sleep(this.o.graceMs ?? 25_000).then(() => 'timeout' as const);
    const outcome = await Promise.race([Promise.allSettled([...this.handling]), grace]);
    if (outcome === 'timeout')
      logger.warn({ interactions: this.handling.size }, 'stopping with interactions under way');
  }
}
