import { Client, Events, GatewayIntentBits, Partials } from 'discord.js';
import { type Command, loadCommands } from '../commands/index.js';
import type { Config } from './config.js';
import { LIMITS } from './constants.js';
import { ChannelBudget } from './discord/budget.js';
import type { BotContext } from './discord/context.js';
import { Publisher } from './discord/publisher.js';
import { syncCommands } from './discord/registerCommands.js';
import { errorText } from './discord/respond.js';
import { createRouter } from './discord/router.js';
import { PrefsStore } from './jobs/prefs.js';
import { Jobs } from './jobs/service.js';
import { JobStore } from './jobs/store.js';
import { Tracker } from './jobs/tracker.js';
import type { Job } from './jobs/types.js';
import type { Logger } from './log.js';
import { MjClient } from './upstream/client.js';
import { type Clock, systemClock } from './util/clock.js';

export interface BotOptions {
  logger: Logger;
  clock?: Clock;
  /** Defaults to the SQLite file of the config. */
  store?: JobStore;
  commands?: Command[];
  /** Start the polling loop (tests drive `tracker.pollNow()` instead). Default true. */
  autoPoll?: boolean;
  /** Per-channel write budget (Discord: about 5 per 5 s). */
  channelBudget?: { limit: number; windowMs: number };
  /** Largest final image uploaded as a file (default Discord's 10 MiB); a larger one is linked. */
  uploadLimit?: number;
}

export interface Bot {
  client: Client;
  ctx: BotContext;
  tracker: Tracker;
  publisher: Publisher;
  /** Logs in, registers commands if they changed, resumes active jobs, starts polling. */
  start(): Promise<void>;
  /** Stops taking interactions, finishes in-flight writes, closes the store. */
  stop(): Promise<void>;
}

/**
 * The composition root: config → store → upstream client → tracker → publisher → Discord client.
 * Nothing else in `src/` reaches for `commands/`.
 */
export function createBot(config: Config, options: BotOptions): Bot {
  const { logger } = options;
  const clock = options.clock ?? systemClock;
  const store =
    options.store ??
    JobStore.openSqlite(config.storePath, (err) => logger.error({ err: errorText(err) }, 'store error'));
  const upstream = new MjClient({
    baseUrl: config.mjBaseUrl,
    apiKey: config.mjApiKey,
    mode: config.mjMode,
    logger,
  });
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.DirectMessages],
    partials: [Partials.Channel],
    ...(config.discordApiBase ? { rest: { api: config.discordApiBase } } : {}),
  });
  client.rest.setToken(config.discordToken);

  // The tracker and the jobs service report changes; the publisher turns them into message edits.
  let publisher: Publisher | null = null;
  const onChange = (job: Job) => publisher?.publish(job);
  const tracker = new Tracker({
    reader: upstream,
    store,
    clock,
    logger: logger.child({ part: 'tracker' }),
    onChange,
    baseIntervalMs: config.pollIntervalMs,
    batchSize: config.pollBatchSize,
  });
  const jobs = new Jobs({ store, tracker, clock, logger, deadlineMs: config.jobDeadlineMs, onChange });
  const budget = options.channelBudget ?? { limit: 5, windowMs: 5_000 };
  publisher = new Publisher({
    rest: client.rest,
    jobs,
    budget: new ChannelBudget(clock, budget.limit, budget.windowMs),
    clock,
    logger: logger.child({ part: 'publisher' }),
    uploadLimit: options.uploadLimit ?? LIMITS.uploadBytes,
  });
  const prefs = new PrefsStore(store.keyv);
  const ctx: BotContext = {
    config,
    logger,
    clock,
    jobs,
    store,
    prefs,
    upstream,
    publisher,
    inFlight: new Set(),
  };
  const commands = loadCommands(options.commands);
  const route = createRouter(ctx, commands);
  let accepting = true;
  client.on(Events.InteractionCreate, (interaction) => {
    if (accepting) void route(interaction);
  });
  client.on(Events.Error, (err) => logger.error({ err: errorText(err) }, 'discord client error'));

  return {
    client,
    ctx,
    tracker,
    publisher,
    async start() {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(config.discordToken);
      await ready;
      logger.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'connected to Discord');
      if (config.registerCommands) {
        await syncCommands({
          rest: client.rest,
          applicationId: client.application?.id ?? client.user?.id ?? '',
          guildId: config.discordGuildId,
          commands: [...commands.values()].map((c) => c.data),
          logger,
        });
      }
      await jobs.resume();
      for (const job of await store.activeJobs()) publisher?.publish(job);
      if (options.autoPoll !== false) tracker.start();
    },
    async stop() {
      accepting = false;
      await tracker.stop();
      await publisher?.idle();
      await client.destroy();
      await store.close();
      logger.info('stopped');
    },
  };
}
