import {
  type JobEvent,
  type JobEventBus,
  type JobEventHandler,
  type JobEventType,
  LocalJobEvents,
} from '../jobs/events.js';
import type { Logger } from '../log.js';
import type { MjTask } from '../upstream/types.js';
import type { RedisCommands } from './redis.js';
import type { ReadNews } from './sharedReads.js';

/** A connection in subscriber mode (node-redis: a `duplicate()` of the main client, connected). */
export interface RedisSubscriber {
  subscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
  unsubscribe(channel: string): Promise<unknown>;
}

/** The events other processes act on: a job stopped holding a slot, so their queues may let one go. */
const SHARED: ReadonlySet<JobEventType> = new Set<JobEventType>(['paused', 'finished', 'failed']);
const EVENTS = 'mj:job-events';
const TASKS = 'mj:callback-tasks';
const READS = 'mj:read-tasks';
const FORWARDING = [TASKS, READS];

interface Envelope<T> {
  origin: string;
  body: T;
}

/**
 * The job event hub across processes. Handlers registered with `on` hear this process's events, as in one
 * process: the process that owns a job (holds its lease) is the one that writes its message, mails it, follows
 * up its remix — so nothing is done twice. The events others need (a slot freed) also go out on Redis pub/sub
 * and reach `onRemote` handlers elsewhere; an upstream callback received by a process that does not follow the
 * task is handed to all (`forwardTask`) and applied by the one that follows it.
 */
export class RedisJobEvents implements JobEventBus {
  private readonly local: LocalJobEvents;
  private readonly remote: Array<{ types: ReadonlySet<JobEventType>; handler: JobEventHandler }> = [];
  /** Handlers of the forwarding channels (callbacks, shared reads), by channel. */
  private readonly forwarded = new Map<string, Array<(body: never) => unknown>>();

  constructor(
    private readonly o: { redis: RedisCommands; subscriber: RedisSubscriber; origin: string; logger: Logger },
  ) {
    this.local = new LocalJobEvents(o.logger);
  }

  /** Subscribes to the other processes' events and to the forwarding channels (callbacks, shared reads). */
  async start(): Promise<void> {
    await this.o.subscriber.subscribe(EVENTS, (m) => this.received<JobEvent>(m, (e) => this.deliver(e)));
    for (const channel of FORWARDING) {
      await this.o.subscriber.subscribe(channel, (m) =>
        this.received<never>(m, (body) => {
          for (const h of this.forwarded.get(channel) ?? []) {
            void Promise.resolve(h(body)).catch((err) => this.failed(err));
          }
        }),
      );
    }
  }

  async stop(): Promise<void> {
    for (const channel of [EVENTS, ...FORWARDING]) {
      await this.o.subscriber.unsubscribe(channel).catch(() => undefined);
    }
  }

  emit(event: JobEvent): void {
    this.local.emit(event);
    if (SHARED.has(event.type)) this.publish(EVENTS, event);
  }

  on<T extends JobEventType>(type: T, handler: JobEventHandler<T>): () => void;
  on(type: '*', handler: JobEventHandler): () => void;
  on(type: JobEventType | '*', handler: JobEventHandler): () => void {
    return this.local.on(type as '*', handler);
  }

  /** Calls `handler` for the events of `types` other processes emit. */
  onRemote(types: readonly JobEventType[], handler: JobEventHandler): void {
    this.remote.push({ types: new Set(types), handler });
  }

  /** Hands an upstream callback this process does not follow to the process that does. */
  forwardTask(task: MjTask): void {
    this.publish(TASKS, task);
  }

  /** Calls `handler` with each callback another process forwarded. */
  onForwardedTask(handler: (task: MjTask) => unknown): void {
    this.listen(TASKS, handler);
  }

  /** Hands what the shared reader read to the processes that follow those jobs (each takes its own). */
  forwardReads(news: ReadNews): void {
    this.publish(READS, news);
  }

  /** Calls `handler` with each round's news of the shared reader in another process . */
  onForwardedReads(handler: (news: ReadNews) => unknown): void {
    this.listen(READS, handler);
  }

  private listen<T>(channel: string, handler: (body: T) => unknown): void {
    const handlers = this.forwarded.get(channel) ?? [];
    handlers.push(handler as (body: never) => unknown);
    this.forwarded.set(channel, handlers);
  }

  private deliver(event: JobEvent): void {
    for (const { types, handler } of this.remote) {
      if (!types.has(event.type)) continue;
      try {
        void Promise.resolve(handler(event)).catch((err) => this.failed(err));
      } catch (err) {
        this.failed(err);
      }
    }
  }

  private publish<T>(channel: string, body: T): void {
    const message = JSON.stringify({ origin: this.o.origin, body } satisfies Envelope<T>);
    this.o.redis
      .sendCommand(['PUBLISH', channel, message])
      .catch((err: unknown) =>
        this.o.logger.warn({ err, channel }, 'could not publish to the other processes'),
      );
  }

  private received<T>(message: string, use: (body: T) => void): void {
    try {
      const envelope = JSON.parse(message) as Envelope<T>;
      if (envelope.origin !== this.o.origin) use(envelope.body);
    } catch (err) {
      this.failed(err);
    }
  }

  private failed(err: unknown): void {
    this.o.logger.error({ err }, 'a message from another process could not be handled');
  }
}
