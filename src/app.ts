import { Client, Events, GatewayIntentBits, Partials } from 'discord.js';
import { type Command, loadCommands } from '../commands/index.js';
import { type Config, secretsOf } from './config.js';
import { LIMITS } from './constants.js';
import { ChannelBudget } from './delivery/budget.js';
import { ResultMailer } from './delivery/mailer.js';
import { Publisher } from './delivery/publisher.js';
import { scrubbingRequest } from './delivery/scrubRest.js';
import { callbackIntake, healthCheck } from './http/callbacks.js';
import { withCallbackSecret } from './http/secret.js';
import { HttpServer } from './http/server.js';
import { t } from './i18n/index.js';
import { syncCommands } from './interactions/commandSync.js';
import type { BotContext } from './interactions/context.js';
import { handleDmMessage } from './interactions/dmPrompt.js';
import { planOf } from './interactions/handlers/retry.js';
import { tellUser } from './interactions/respond.js';
import { createRouter } from './interactions/router.js';
import { GuildSettingsStore } from './jobs/guildSettings.js';
import { UsageStore } from './jobs/limits.js';
import { PrefsStore } from './jobs/prefs.js';
import { LocalQueue } from './jobs/queue.js';
import { remixFollowUp } from './jobs/remixFollowUp.js';
import { SeenLocales } from './jobs/seenLocale.js';
import { Jobs } from './jobs/service.js';
import { JobStore } from './jobs/store.js';
import { Tracker } from './jobs/tracker.js';
import type { Job } from './jobs/types.js';
import { type Logger, scrubber } from './log.js';
import { MjClient, type MjClientOptions } from './upstream/client.js';
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
  /** Message writes across all channels (discord.js: 50 requests/s per bot); default 48 per second. */
  globalBudget?: { limit: number; windowMs: number };
  /** Largest final image uploaded as a file (default Discord's 10 MiB); a larger one is linked. */
  uploadLimit?: number;
  /** Upstream client timeouts and read retries (defaults: submit 30 s, read 15 s, 3 read retries). */
  upstream?: Partial<
    Pick<MjClientOptions, 'submitTimeoutMs' | 'readTimeoutMs' | 'readRetries' | 'retryBaseMs' | 'retryMaxMs'>
  >;
  /** Waits between attempts of a message write Discord did not take (default 2 s doubling up to 60 s). */
  deliveryRetry?: { baseMs: number; maxMs: number };
  /** How long `stop()` waits for interactions under way (a submit waiting for its answer). Default 25 s. */
  shutdownGraceMs?: number;
}

export interface Bot {
  client: Client;
  ctx: BotContext;
  tracker: Tracker;
  publisher: Publisher;
  /** Upstream callbacks and `/healthz`, when HTTP_PORT or PUBLIC_URL is set. */
  http: HttpServer | null;
  /** Logs in, registers commands if they changed, resumes active jobs, starts polling. */
  start(): Promise<void>;
  /** Stops taking interactions, finishes in-flight writes, closes the store. */
  stop(): Promise<void>;
}

/** With callbacks on, polling is the safety net and runs this many times slower than POLL_INTERVAL_MS. */
const CALLBACK_POLL_FACTOR = 3;

/**
 * The composition root: config → store → upstream client → tracker → publisher → Discord client.
 * Nothing else in `src/` reaches for `commands/`.
 */
export function createBot(config: Config, options: BotOptions): Bot {
  const { logger } = options;
  const clock = options.clock ?? systemClock;
  const store =
    options.store ?? JobStore.openSqlite(config.storePath, (err) => logger.error({ err }, 'store error'));
  // With a public URL every submit carries a callback URL: the fast path. Polling stays, slower, as the safety net
  // (callbacks are unsigned and best-effort).
  const { callbackSecret } = withCallbackSecret(config);
  const notifyHook =
    config.publicUrl && callbackSecret ? `${config.publicUrl}/hooks/mj/${callbackSecret}` : undefined;
  const upstream = new MjClient({
    baseUrl: config.mjBaseUrl,
    apiKey: config.mjApiKey,
    mode: config.mjMode,
    logger,
    ...options.upstream,
    ...(notifyHook ? { notifyHook } : {}),
  });
  // Whatever upstream text a message quotes, no secret leaves in a request to Discord.
  const scrub = scrubber(secretsOf({ ...config, callbackSecret }));
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.DirectMessages],
    partials: [Partials.Channel],
    rest: {
      ...(config.discordApiBase ? { api: config.discordApiBase } : {}),
      makeRequest: scrubbingRequest(scrub),
    },
  });
  client.rest.setToken(config.discordToken);

  // The tracker and the jobs service report changes; the publisher turns them into message edits.
  let publisher: Publisher | null = null;
  // A remix pop-up the aggregator reported as accepted gets the prompt the user already gave once its task turns MODAL.
  let jobsRef: Jobs | null = null;
  const remix = remixFollowUp({
    keyv: store.keyv,
    upstream,
    jobs: () => jobsRef,
    logger: logger.child({ part: 'remix' }),
  });
  // The local queue hears of every change too: a job that stops holding a slot lets a waiting one go; a job that
  // just succeeded may go to its requester's DMs (auto-DM).
  let queue: LocalQueue | null = null;
  let mailer: ResultMailer | null = null;
  const onChange = (job: Job) => {
    publisher?.publish(job);
    queue?.changed(job);
    mailer?.auto(job);
    remix(job);
  };
  const tracker = new Tracker({
    reader: upstream,
    store,
    clock,
    logger: logger.child({ part: 'tracker' }),
    onChange,
    baseIntervalMs: config.pollIntervalMs,
    batchSize: config.pollBatchSize,
    safetyNetFactor: notifyHook ? CALLBACK_POLL_FACTOR : 1,
  });
  const jobs = new Jobs({ store, tracker, clock, logger, deadlineMs: config.jobDeadlineMs, onChange });
  jobsRef = jobs;
  const budget = options.channelBudget ?? { limit: 5, windowMs: 5_000 };
  const globalBudget = options.globalBudget ?? { limit: 48, windowMs: 1_000 };
  publisher = new Publisher({
    rest: client.rest,
    jobs,
    budget: new ChannelBudget(clock, budget.limit, budget.windowMs),
    globalBudget: new ChannelBudget(clock, globalBudget.limit, globalBudget.windowMs),
    clock,
    logger: logger.child({ part: 'publisher' }),
    uploadLimit: options.uploadLimit ?? LIMITS.uploadBytes,
    ...(options.deliveryRetry ? { retry: options.deliveryRetry } : {}),
    privateFinal: async (job) => {
      await mailer?.privateFinal(job);
    },
  });
  const http =
    config.httpPort === null
      ? null
      : new HttpServer({
          host: config.httpHost,
          port: config.httpPort,
          logger: logger.child({ part: 'http' }),
          callbackSecret: notifyHook ? callbackSecret : null,
          onCallback: callbackIntake({ tracker, logger }),
          health: healthCheck({ discordReady: () => client.isReady(), store }),
        });
  const prefs = new PrefsStore(store.keyv);
  queue = new LocalQueue({
    store,
    jobs,
    usage: new UsageStore(store.keyv, clock, config.limits.resetHourUtc),
    clock,
    logger: logger.child({ part: 'queue' }),
    settings: config.limits,
    // After a restart a queued job's submit is rebuilt from its record, as Retry does.
    rebuild: (job) => planOf(ctx, job).prepare(),
    onChange: (job) => publisher?.publish(job),
  });
  mailer = new ResultMailer({
    rest: client.rest,
    keyv: store.keyv,
    prefs,
    seedOf: (taskId) => upstream.imageSeed(taskId),
    logger: logger.child({ part: 'dm' }),
    uploadLimit: options.uploadLimit ?? LIMITS.uploadBytes,
  });
  const commands = loadCommands(options.commands);
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
    guilds: new GuildSettingsStore(store.keyv),
    queue,
    seenLocales: new SeenLocales(store.keyv),
    mailer,
    commandList: [...commands.values()].map((c) => c.data),
  };
  const route = createRouter(ctx, commands);
  let accepting = true;
  // Interactions under way, so a shutdown lets them record what they sent before the store closes.
  const handling = new Set<Promise<void>>();
  client.on(Events.InteractionCreate, (interaction) => {
    if (!accepting) {
      // Shutting down: nothing new starts, but the user hears why instead of "The application did not respond".
      if (interaction.isRepliable()) {
        void tellUser(interaction, t(interaction.locale, 'error.shuttingDown')).catch(() => undefined);
      }
      return;
    }
    const run = route(interaction).finally(() => handling.delete(run));
    handling.add(run);
  });
  // A plain message in a DM with the bot is an /imagine prompt.
  client.on(Events.MessageCreate, (message) => {
    if (!accepting) return;
    const run = handleDmMessage(ctx, message).finally(() => handling.delete(run));
    handling.add(run);
  });
  client.on(Events.Error, (err) => logger.error({ err }, 'discord client error'));

  return {
    client,
    ctx,
    tracker,
    publisher,
    http,
    async start() {
      // A locked, read-only or corrupt store stops the bot here, before it takes any interaction.
      await store.probe();
      await http?.start(); // /healthz answers 503 until Discord is ready
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
      // Jobs that waited in the local queue go as soon as slots are free (a restart freed them all).
      await queue?.pump();
      // Final states that a crash or a Discord outage kept from their message.
      for (const job of await store.unshownJobs()) publisher?.publish(job);
      if (options.autoPoll !== false) tracker.start();
    },
    async stop() {
      accepting = false;
      await http?.stop();
      if (handling.size > 0) {
        logger.info({ interactions: handling.size }, 'waiting for interactions under way');
        const grace = clock.sleep(options.shutdownGraceMs ?? 25_000).then(() => 'timeout' as const);
        const outcome = await Promise.race([Promise.allSettled([...handling]), grace]);
        if (outcome === 'timeout')
          logger.warn({ interactions: handling.size }, 'stopping with interactions under way');
      }
      await queue?.stop();
      await tracker.stop();
      await publisher?.idle();
      publisher?.stop();
      await client.destroy();
      await store.close();
      logger.info('stopped');
    },
  };
}
