import type { Client } from 'discord.js';
import { type Command, loadCommands, loadMessageCommands } from '../commands/index.js';
import { type Cluster, clusterOf } from './cluster/index.js';
import { type Config, secretsOf } from './config.js';
import { LIMITS } from './constants.js';
import { ChannelBudget } from './delivery/budget.js';
import { ResultMailer } from './delivery/mailer.js';
import { Publisher } from './delivery/publisher.js';
import { connect, createDiscordClient, createTokenRest } from './discordClient.js';
import { callbackIntake, healthCheck } from './http/callbacks.js';
import { createRegionEditor, type RegionEditor } from './http/editor/index.js';
import { instrumentUpstream, jobsByPhase, observeDiscordRest, observeJobs } from './http/observe.js';
import { withCallbackSecret } from './http/secret.js';
import { HttpServer } from './http/server.js';
import type { BotContext } from './interactions/context.js';
import { handleDmMessage } from './interactions/dmPrompt.js';
import { openForEditor, startEditorRegionJob } from './interactions/handlers/regionEditor.js';
import { DiscordListener } from './interactions/listen.js';
import { createRouter } from './interactions/router.js';
import { resubmit } from './interactions/startJob.js';
import { type JobEventBus, LocalJobEvents } from './jobs/events.js';
import { GuildSettingsStore } from './jobs/guildSettings.js';
import { UsageStore } from './jobs/limits.js';
import { PrefsStore } from './jobs/prefs.js';
import { LocalQueue } from './jobs/queue.js';
import { remixFollowUp } from './jobs/remixFollowUp.js';
import { Retention } from './jobs/retention.js';
import { SeenLocales } from './jobs/seenLocale.js';
import { Jobs } from './jobs/service.js';
import { JobStore } from './jobs/store.js';
import { Tracker } from './jobs/tracker.js';
import { type Logger, scrubber } from './log.js';
import { type BotMetrics, createMetrics } from './metrics.js';
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
  /** Node's own metrics (CPU, memory, event loop, GC) in /metrics; once per process (main.ts), off in tests. */
  processMetrics?: boolean;
}

export interface Bot {
  client: Client;
  ctx: BotContext;
  /** The job event hub: every change of a job, as plain data. */
  events: JobEventBus;
  tracker: Tracker;
  publisher: Publisher;
  /** Upstream callbacks and `/healthz`, when HTTP_PORT or PUBLIC_URL is set. */
  http: HttpServer | null;
  /** What `GET /metrics` serves. */
  metrics: BotMetrics;
  /** Logs in, registers commands if they changed, resumes active jobs, starts polling. */
  start(): Promise<void>;
  /** Stops taking interactions, finishes in-flight writes, closes the store. */
  stop(): Promise<void>;
}

/** With callbacks on, polling is the safety net and runs this many times slower than POLL_INTERVAL_MS. */
const CALLBACK_POLL_FACTOR = 3;

/**
 * The composition root: the parts of the bot, built in order. The jobs layer announces every change of a job
 * on the event hub; the publisher, the local queue, the DM mailer and the remix follow-up listen there.
 * Nothing else in `src/` reaches for `commands/`.
 */
export function createBot(config: Config, options: BotOptions): Bot {
  const { logger } = options;
  const clock = options.clock ?? systemClock;
  // STORE_URL: a SQLite file (one process) or Redis (shared by several); Redis connects in start().
  const store =
    options.store ??
    JobStore.open(config.storeUrl, {
      onError: (err) => logger.error({ err }, 'store error'),
      retentionMs: config.jobRetentionMs,
    });
  const retention = new Retention({
    store,
    clock,
    retentionMs: config.jobRetentionMs,
    logger: logger.child({ part: 'retention' }),
  });
  const { upstream: plainUpstream, notifyHook, callbackSecret } = upstreamOf(config, options);
  // Whatever upstream text a message quotes, no secret leaves in a request to Discord.
  const scrub = scrubber(secretsOf({ ...config, callbackSecret }));
  const client = createDiscordClient(config, scrub);
  // Edits through an interaction's token: outside the bot-wide limit (Discord does not count them there).
  const tokenRest = createTokenRest(config, scrub);
  // Redis store: several processes share the jobs (leases, events, admission, Discord budget); null on SQLite.
  const cluster = clusterOf(store, {
    clock,
    logger,
    leaseMs: config.leaseMs,
    channelWindowMs: options.channelBudget?.windowMs ?? 5_000,
    globalWindowMs: options.globalBudget?.windowMs ?? 1_000,
  });
  const events = cluster?.events ?? new LocalJobEvents(logger.child({ part: 'events' }));
  // The operators' view (GET /metrics), counted at the edges: upstream calls, Discord's REST, the hub, callbacks.
  const metrics = createMetrics({
    jobsNow: jobsByPhase(store),
    takeovers: () => cluster?.leases.takenOver ?? 0,
    reader: () => cluster?.reader ?? false,
    processMetrics: options.processMetrics ?? false,
  });
  const upstream = instrumentUpstream(plainUpstream, metrics);
  observeDiscordRest(client.rest, metrics);
  observeDiscordRest(tokenRest, metrics);
  observeJobs(events, metrics);
  const tracker = new Tracker({
    reader: upstream,
    store,
    clock,
    logger: logger.child({ part: 'tracker' }),
    events,
    baseIntervalMs: config.pollIntervalMs,
    batchSize: config.pollBatchSize,
    safetyNetFactor: notifyHook ? CALLBACK_POLL_FACTOR : 1,
    ...(cluster
      ? { ownership: cluster.leases, isNewer: cluster.isNewer, sharedReads: cluster.sharedReads }
      : {}),
  });
  const jobs = new Jobs({
    ...{ store, tracker, clock, logger, deadlineMs: config.jobDeadlineMs, events },
    // Several processes: only a job whose submitter died (lease free, submit timed out) is given up.
    ...(cluster ? { submitters: cluster.submitters(options.upstream?.submitTimeoutMs ?? 30_000) } : {}),
  });
  const prefs = new PrefsStore(store.keyv);
  const uploadLimit = options.uploadLimit ?? LIMITS.uploadBytes;
  // Auto-DM of finished jobs; private results whose token expired go to DMs through it too.
  const mailer = new ResultMailer({
    rest: client.rest,
    keyv: store.keyv,
    events,
    prefs,
    seedOf: (taskId) => upstream.imageSeed(taskId),
    logger: logger.child({ part: 'dm' }),
    uploadLimit,
  });
  const publisher = new Publisher({
    rest: client.rest,
    tokenRest,
    jobs,
    events,
    mailer,
    budget: budgetOf(clock, options.channelBudget ?? { limit: 5, windowMs: 5_000 }),
    globalBudget: budgetOf(clock, options.globalBudget ?? { limit: 48, windowMs: 1_000 }),
    sharedBudget: cluster?.budget ?? null,
    clock,
    logger: logger.child({ part: 'publisher' }),
    uploadLimit,
    ...(options.deliveryRetry ? { retry: options.deliveryRetry } : {}),
  });
  const queue = new LocalQueue({
    store,
    jobs,
    events,
    usage: new UsageStore(store.keyv, clock, config.limits.resetHourUtc),
    clock,
    logger: logger.child({ part: 'queue' }),
    settings: config.limits,
    // After a restart a queued job's submit is rebuilt from its record (its request), as Retry does.
    rebuild: (job) => resubmit(ctx, job),
    ...(cluster ? { lock: cluster.lock } : {}),
  });
  // A remix the aggregator took as accepted gets the prompt the user already gave once its task turns MODAL.
  remixFollowUp({ keyv: store.keyv, upstream, jobs, events, logger: logger.child({ part: 'remix' }) });
  // Vary (Region) in the browser (PUBLIC_URL): the page's job and its submit go through the Discord side's code.
  const editor = createRegionEditor(config, callbackSecret, {
    keyv: store.keyv,
    clock,
    logger: logger.child({ part: 'editor' }),
    backend: {
      open: (press) => openForEditor(ctx, press),
      start: (press, input) => startEditorRegionJob(ctx, client.rest, press, input),
    },
  });
  const http = httpServerOf(config, notifyHook ? callbackSecret : null, {
    logger,
    tracker,
    store,
    client,
    editor,
    cluster,
    metrics,
  });
  const commands = loadCommands(options.commands);
  const commandList = [...commands.values()].map((c) => c.data);
  // Message context menus (Apps menu of a message) are registered with the slash commands.
  const messageCommands = loadMessageCommands();
  const definitions = [...commandList, ...[...messageCommands.values()].map((c) => c.data)];
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
    // On Redis an admin's change made through another process is seen within 5 s.
    guilds: new GuildSettingsStore(store.keyv, store.backend.shared ? { clock, maxAgeMs: 5_000 } : null),
    queue,
    seenLocales: new SeenLocales(store.keyv),
    mailer,
    commandList,
    regionEditor: editor,
  };
  const discord = new DiscordListener(client, {
    route: createRouter(ctx, commands, messageCommands),
    message: (message) => handleDmMessage(ctx, message), // a plain DM to the bot is an /imagine prompt
    logger,
    clock,
    ...(options.shutdownGraceMs !== undefined ? { graceMs: options.shutdownGraceMs } : {}),
  });
  return {
    client,
    ctx,
    events,
    tracker,
    publisher,
    http,
    metrics,
    async start() {
      // A locked, read-only or corrupt store stops the bot here, before it takes any interaction.
      await store.probe();
      await cluster?.start({
        ...{ tracker, queue, applyCallback: callbackIntake({ tracker, logger }) },
        abandonStale: (stale) => jobs.abandonStale(stale),
        // Polling driven by hand (tests): this process reads only its own jobs, when told to.
        ...(options.autoPoll === false
          ? {}
          : {
              reads: {
                reader: upstream,
                batchSize: config.pollBatchSize,
                baseIntervalMs: config.pollIntervalMs,
                safetyNetFactor: notifyHook ? CALLBACK_POLL_FACTOR : 1,
              },
            }),
      });
      retention.start(); // SQLite: finished jobs past JOB_RETENTION_DAYS removed now and hourly
      await http?.start(); // /healthz answers 503 until Discord is ready
      await connect(client, config, definitions, logger);
      await jobs.resume();
      // Several processes: each shows again only the jobs it owns or nobody holds (one process: all of them).
      const shows = async (job: { id: string; phase: string }) => !cluster || (await cluster.shows(job));
      for (const job of await store.activeJobs()) if (await shows(job)) publisher.publish(job);
      // Jobs that waited in the local queue go as soon as slots are free (a restart freed them all).
      await queue.pump();
      // Final states that a crash or a Discord outage kept from their message (several processes: shown once).
      for (const job of await store.unshownJobs()) {
        if (!cluster) publisher.publish(job);
        else
          cluster
            .showFinal(job, (j) => publisher.deliver(j))
            .catch((err: unknown) =>
              logger.error({ err, jobId: job.id }, 'could not show a final state again'),
            );
      }
      if (options.autoPoll !== false) tracker.start();
    },
    async stop() {
      discord.close();
      await http?.stop();
      await discord.drain();
      await queue.stop();
      await tracker.stop();
      await cluster?.stop(); // SIGTERM: the others take this process's jobs over at once
      await publisher.idle();
      publisher.stop();
      await client.destroy();
      tokenRest.clearHashSweeper();
      tokenRest.clearHandlerSweeper();
      await retention.stop();
      await store.close();
      logger.info('stopped');
    },
  };
}

/**
 * The upstream client. With a public URL every submit carries a callback URL: the fast path. Polling stays,
 * slower, as the safety net (callbacks are unsigned and best-effort).
 */
function upstreamOf(config: Config, options: BotOptions) {
  const { callbackSecret } = withCallbackSecret(config);
  const notifyHook =
    config.publicUrl && callbackSecret ? `${config.publicUrl}/hooks/mj/${callbackSecret}` : undefined;
  const upstream = new MjClient({
    baseUrl: config.mjBaseUrl,
    apiKey: config.mjApiKey,
    mode: config.mjMode,
    logger: options.logger,
    clock: options.clock ?? systemClock,
    ...options.upstream,
    ...(notifyHook ? { notifyHook } : {}),
  });
  return { upstream, notifyHook, callbackSecret };
}

/** Upstream callbacks (served when `secret` is set) and `/healthz`, when HTTP_PORT or PUBLIC_URL is set. */
function httpServerOf(
  config: Config,
  secret: string | null,
  o: {
    logger: Logger;
    tracker: Tracker;
    store: JobStore;
    client: Client;
    editor: RegionEditor | null;
    cluster: Cluster | null;
    metrics: BotMetrics;
  },
): HttpServer | null {
  if (config.httpPort === null) return null;
  const { logger, tracker, store, client } = o;
  return new HttpServer({
    host: config.httpHost,
    port: config.httpPort,
    logger: logger.child({ part: 'http' }),
    callbackSecret: secret,
    onCallback: o.cluster
      ? o.cluster.forwarding(callbackIntake({ tracker, logger }))
      : callbackIntake({ tracker, logger }),
    health: healthCheck({
      discordReady: () => client.isReady(),
      store,
      shards: () => shardIdsOf(client),
      leases: () => o.cluster?.leases.count ?? 0,
    }),
    metrics: o.metrics,
    editor: o.editor?.routes ?? null,
  });
}

/** The shards this process runs: as configured, else those connected (one process: shard 0). */
function shardIdsOf(client: Client): number[] {
  const configured = client.options.shards;
  if (Array.isArray(configured)) return [...configured];
  if (typeof configured === 'number') return [configured];
  const connected = [...client.ws.shards.keys()];
  return connected.length ? connected : [0];
}

function budgetOf(clock: Clock, budget: { limit: number; windowMs: number }): ChannelBudget {
  return new ChannelBudget(clock, budget.limit, budget.windowMs);
}
