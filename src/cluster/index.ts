import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { JobStore } from '../jobs/store.js';
import type { PollRates, TaskReader } from '../jobs/taskLists.js';
import type { Tracker } from '../jobs/tracker.js';
import type { Job } from '../jobs/types.js';
import type { Logger } from '../log.js';
import type { MjTask } from '../upstream/types.js';
import type { Clock } from '../util/clock.js';
import { admissionLock } from './admission.js';
import { RedisBudget } from './budget.js';
import { JobLeases } from './leases.js';
import type { RedisCommands } from './redis.js';
import { RedisJobEvents, type RedisSubscriber } from './redisEvents.js';
import { RedisLeaseStore } from './redisLeaseStore.js';
import { redisReadState } from './redisReadState.js';
import { applyNews, SharedReads, splitNews } from './sharedReads.js';
import { redisTaskOrder } from './taskOrder.js';

export type Cluster = ReturnType<typeof clusterOf>;

/**
 * The parts several processes share through Redis, when the store is on Redis (null on SQLite: one process).
 * Built before the tracker and the queue (they take its seams); `start` once the store connected.
 */
export function clusterOf(
  store: JobStore,
  o: { clock: Clock; logger: Logger; leaseMs: number; channelWindowMs: number; globalWindowMs: number },
) {
  const client = store.redis;
  if (!client) return null;
  const logger = o.logger.child({ part: 'cluster' });
  const owner = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  // The client connects in `store.probe()`; every command goes through it then.
  const redis: RedisCommands = { sendCommand: (args) => client.sendCommand([...args]) };
  let subscriber: (RedisSubscriber & { quit(): Promise<unknown> }) | null = null;
  const events = new RedisJobEvents({
    redis,
    subscriber: {
      subscribe: (channel, listener) => (subscriber as RedisSubscriber).subscribe(channel, listener),
      unsubscribe: (channel) => subscriber?.unsubscribe(channel) ?? Promise.resolve(),
    },
    origin: owner,
    logger,
  });
  let tracker: Tracker | null = null;
  let abandonStale: ((jobs: Job[]) => Promise<unknown>) | null = null;
  let reads: SharedReads | null = null;
  const leaseStore = new RedisLeaseStore(redis);
  const readState = redisReadState(redis, store);
  const leases = new JobLeases({
    store: leaseStore,
    owner,
    clock: o.clock,
    logger,
    leaseMs: o.leaseMs,
    candidates: () => store.activeIds(),
    // Only the records of jobs nobody holds are read: the ones to follow, and the ones whose submitter died.
    followable: async (ids) => {
      const jobs = await store.getMany(ids);
      const submitting = jobs.filter((j) => j.phase === 'submitting');
      if (submitting.length > 0 && abandonStale) {
        await abandonStale(submitting).catch((err: unknown) =>
          logger.warn({ err }, 'could not end the jobs of a dead submitter'),
        );
      }
      return jobs.filter((j) => j.phase === 'tracking').map((j) => j.id);
    },
    adopt: async (id) => {
      const job = await store.get(id);
      if (job?.phase === 'tracking') tracker?.track(job);
      else leases.release(id);
    },
    lost: (id) => tracker?.untrack(id),
  });
  return {
    owner,
    events,
    leases,
    lock: admissionLock({ redis, clock: o.clock, owner }),
    budget: new RedisBudget({
      redis,
      owner,
      channelWindowMs: o.channelWindowMs,
      globalWindowMs: o.globalWindowMs,
      onError: (err) => logger.warn({ err }, 'could not settle a shared Discord write'),
    }),
    isNewer: redisTaskOrder(redis),
    /** For the tracker: whether one process reads every tracked task now (src/cluster/sharedReads.ts). */
    sharedReads: { covered: () => readState.fresh() },
    /** Whether this process is the one reading every tracked task for the others. */
    get reader(): boolean {
      return reads?.isReader ?? false;
    },
    /**
     * At start, whether this process shows a job again: one it follows (a tracked job's lease, kept), or one
     * nobody holds (taken for the moment, then let go); a job another live process holds is that one's to show.
     */
    async shows(job: { id: string; phase: string }): Promise<boolean> {
      const taken = await leases.claim(job.id).catch(() => false);
      if (taken && job.phase !== 'tracking') leases.release(job.id);
      return taken;
    },
    /**
     * At start, shows a final state that never reached Discord, once in the cluster: under the job's lease, held
     * until it is delivered, and only if no other process showed it meanwhile.
     */
    async showFinal(job: Job, deliver: (job: Job) => Promise<void>): Promise<void> {
      if (!(await leases.claim(job.id).catch(() => false))) return;
      try {
        const now = await store.get(job.id);
        if (now && !now.message.finalShown) await deliver(now);
      } finally {
        leases.release(job.id);
      }
    },
    /** A job's submitter holds its lease while it submits (see `JobsOptions.submitters`). */
    submitters: (timeoutMs: number) => ({
      claim: (id: string) => leases.claim(id),
      release: (id: string) => leases.release(id),
      timeoutMs,
    }),
    /** Callbacks for a task this process does not follow go to the process that does (it applies them). */
    forwarding(intake: (task: MjTask) => Promise<'applied' | 'ignored'>) {
      return async (task: MjTask): Promise<'applied' | 'ignored'> => {
        const outcome = await intake(task);
        if (outcome === 'ignored') events.forwardTask(task);
        return outcome;
      };
    },
    /** Subscribes to the others, then keeps this process's leases and takes over the dead ones'. */
    async start(parts: {
      tracker: Tracker;
      queue: { pump(): Promise<void> };
      applyCallback: (task: MjTask) => Promise<unknown>;
      /** Ends those of the given jobs whose submitter died mid-submit (`Jobs.abandonStale`), at each lease scan. */
      abandonStale: (jobs: Job[]) => Promise<unknown>;
      /**
       * The upstream and the tracker's settings, for this process's turns as the shared reader; absent when
       * polling is driven by hand (tests call `tracker.pollNow()`): this process then never reads for others.
       */
      reads?: PollRates & { reader: TaskReader; batchSize: number };
    }) {
      const localTracker = parts.tracker;
      tracker = localTracker;
      abandonStale = parts.abandonStale;
      reads = parts.reads
        ? new SharedReads({
            ...parts.reads,
            owner,
            clock: o.clock,
            logger,
            leases: leaseStore,
            leaseMs: o.leaseMs,
            state: readState,
            // This process applies its own jobs' news at once; the rest goes to the others in one message.
            deliver: async (news) => {
              const { mine, others } = splitNews(news, (jobId) => localTracker.has(jobId));
              if (others.tasks.length > 0 || others.vanished.length > 0) events.forwardReads(others);
              await applyNews(localTracker, mine, logger);
            },
          })
        : null;
      // A slot freed in another process may let a job waiting here go.
      events.onRemote(['paused', 'finished', 'failed'], () => parts.queue.pump());
      const duplicate = client.duplicate();
      // Without a listener, a dropped connection would be thrown as an uncaught exception and stop the process;
      // the client reconnects by itself (and subscribes again), as the store's client does.
      duplicate.on('error', (err: unknown) => {
        if (duplicate.isReady) logger.warn({ err }, 'the Redis subscriber connection failed; reconnecting');
      });
      subscriber = duplicate as unknown as RedisSubscriber & { quit(): Promise<unknown> };
      await duplicate.connect();
      events.onForwardedTask(parts.applyCallback);
      events.onForwardedReads((news) => applyNews(localTracker, news, logger));
      await events.start();
      leases.start();
      reads?.start();
      logger.info({ owner }, 'joined the other processes over Redis');
    },
    /** Hands every lease over at once (the tracker has stopped), then leaves pub/sub. */
    async stop() {
      await reads?.stop().catch((err: unknown) => logger.warn({ err }, 'could not hand the reading over'));
      await leases.stop().catch((err: unknown) => logger.warn({ err }, 'could not hand the job leases over'));
      await events.stop();
      await subscriber?.quit().catch(() => undefined);
    },
  };
}
