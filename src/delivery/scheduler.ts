import type { Clock } from '../util/clock.js';
import type { ChannelBudget, SharedBudget } from './budget.js';

/** One state to write to one message. */
export interface Edit<T> {
  channelId: string;
  /** The message (a job id): only the latest state of a key is kept, and a key has one write in flight. */
  key: string;
  item: T;
  final: boolean;
  /** The message's job will likely end soon (its progress is far along): its channel keeps a write ready for it. */
  soon?: boolean;
  /**
   * The message's first state (a new job): it goes before the channel's other progress states, within their
   * share of the window (the writes kept for final states stay kept).
   */
  first?: boolean;
  /** Work to finish before the write (the final image's download); the channel's other writes go meanwhile. */
  ready?: Promise<unknown>;
  /**
   * Sent with the bot token (a channel route): it counts against the bot-wide budget. False for a write through
   * an interaction's token (`@original`, follow-ups), which Discord does not count there. Default true.
   */
  bot?: boolean;
}

export interface EditSchedulerOptions<T> {
  clock: Clock;
  /** Per channel. */
  budget: ChannelBudget;
  /**
   * Across all channels (Discord holds a bot to 50 requests/s), key `*`, for the writes sent with the bot token
   * (`Edit.bot`); null for none.
   */
  global?: ChannelBudget | null;
  /** Several processes: the per-channel and bot-wide budgets they share (asked after the local ones). */
  shared?: SharedBudget | null;
  /**
   * Writes of each channel's window kept for final states (at least; more while more jobs of the channel are about
   * to end, up to all but one), and a fifth of the global window.
   */
  finalReserve?: number;
  /** True when `candidate` should replace the waiting `current` state of the same key. */
  newer(candidate: T, current: T): boolean;
  /** Writes one state; must not throw (it handles its own errors). */
  send(item: T): Promise<void>;
  onError(err: unknown, edit: Edit<T>): void;
}

const usesBotToken = (edit: Edit<unknown>): boolean => edit.bot !== false;

interface Queued<T> extends Edit<T> {
  waiters: Array<() => void>;
  isReady: boolean;
}

interface Channel<T> {
  id: string;
  queue: Map<string, Queued<T>>;
  inFlight: Set<string>;
  wake: (() => void) | null;
  /** Messages whose job is about to end, with when that was seen: their results get the channel's writes first. */
  soon: Map<string, number>;
}

const GLOBAL = '*';
/** A job seen "about to end" that long ago no longer holds a write back (it may wait in a slow queue). */
const SOON_EXPIRES_MS = 10 * 60_000;

/**
 * Schedules message writes within Discord's budgets: one loop per channel, so channels never wait for each other;
 * the latest state of each message only; final states first, with part of every window kept for them so a result
 * never queues behind progress; writes to different messages of a channel go side by side (a slow upload or a
 * download holds up only its own message).
 */
export class EditScheduler<T> {
  private readonly channels = new Map<string, Channel<T>>();
  private readonly loops = new Map<string, Promise<void>>();
  /** Channels held by the global budget alone (true: their next write is final), in the order they stopped. */
  private readonly blocked = new Map<Channel<T>, boolean>();
  /** One timer for all of them, so a freed global write wakes one channel instead of every waiting one. */
  private globalTimer: { cancel(): void; forFinal: boolean } | null = null;

  constructor(private readonly o: EditSchedulerOptions<T>) {}

  /** Queues `edit`; resolves once it, or a later state of its key, was written (or its write failed). */
  submit(edit: Edit<T>): Promise<void> {
    const ch = this.channel(edit.channelId);
    if (edit.soon && !edit.final) ch.soon.set(edit.key, this.o.clock.now());
    else if (!edit.final) ch.soon.delete(edit.key);
    const done = new Promise<void>((resolve) => {
      const queued = ch.queue.get(edit.key);
      if (!queued) {
        ch.queue.set(edit.key, this.entry(ch, edit, [resolve]));
      } else if (this.o.newer(edit.item, queued.item)) {
        ch.queue.set(edit.key, this.entry(ch, edit, [...queued.waiters, resolve], queued));
      } else {
        queued.waiters.push(resolve);
      }
    });
    if (this.loops.has(ch.id)) wake(ch);
    else this.startLoop(ch);
    return done;
  }

  /** Resolves when nothing is queued or in flight. */
  async idle(): Promise<void> {
    while (this.loops.size > 0) await Promise.all(this.loops.values());
  }

  /** States waiting, over all channels. */
  get queued(): number {
    let n = 0;
    for (const ch of this.channels.values()) n += ch.queue.size;
    return n;
  }

  /** Runs the channel's loop until nothing is left; a state that came in as it ended starts it again. */
  private startLoop(ch: Channel<T>): void {
    const loop = this.drain(ch).finally(() => {
      this.loops.delete(ch.id);
      if (ch.queue.size > 0) this.startLoop(ch);
      else if (ch.soon.size === 0) this.channels.delete(ch.id);
    });
    this.loops.set(ch.id, loop);
  }

  private channel(id: string): Channel<T> {
    let ch = this.channels.get(id);
    if (!ch) {
      ch = { id, queue: new Map(), inFlight: new Set(), wake: null, soon: new Map() };
      this.channels.set(id, ch);
    }
    return ch;
  }

  private entry(ch: Channel<T>, edit: Edit<T>, waiters: Array<() => void>, prev?: Queued<T>): Queued<T> {
    const q: Queued<T> = { ...edit, waiters, isReady: !edit.ready };
    // The same pending work (one download per final image) carries over to a replacing state.
    if (!edit.ready && prev?.ready && prev.final && edit.final) {
      q.ready = prev.ready;
      q.isReady = prev.isReady;
    }
    if (!q.isReady) {
      q.ready
        ?.then(
          () => undefined,
          () => undefined,
        )
        .finally(() => {
          q.isReady = true;
          wake(ch);
        });
    }
    return q;
  }

  private async drain(ch: Channel<T>): Promise<void> {
    while (ch.queue.size > 0 || ch.inFlight.size > 0) {
      const next = pick(ch);
      if (!next) {
        await this.sleep(ch, null);
        continue;
      }
      const headroom = next.final ? 0 : this.reserve(ch);
      const wait = this.o.budget.wait(ch.id, headroom);
      if (wait > 0) {
        await this.sleep(ch, wait);
        continue;
      }
      const bot = usesBotToken(next);
      if (bot && this.globalWait(next.final) > 0) {
        this.blocked.set(ch, next.final);
        this.armGlobal();
        await this.sleep(ch, null);
        this.blocked.delete(ch);
        continue;
      }
      // Several processes: their shared budget too. Another state may replace this one meanwhile: the latest goes
      // (unless it now takes the other route: the turn was taken for this one's).
      const token = this.o.shared ? await this.sharedTurn(ch, next.final, headroom, bot) : '';
      if (token === null) continue;
      const chosen = token ? pick(ch) : next;
      if (!chosen || usesBotToken(chosen) !== bot) continue;
      ch.queue.delete(chosen.key);
      ch.inFlight.add(chosen.key);
      const stamps = {
        channel: this.o.budget.take(ch.id),
        global: bot ? (this.o.global?.take(GLOBAL) ?? null) : null,
        shared: token || null,
      };
      void this.write(ch, chosen, stamps);
    }
  }

  /** The shared write's token, or null after waiting for the shared budget (try again). */
  private async sharedTurn(
    ch: Channel<T>,
    final: boolean,
    headroom: number,
    bot: boolean,
  ): Promise<string | null> {
    const shared = this.o.shared;
    if (!shared) return null;
    const usable = {
      channel: Math.max(1, this.o.budget.limit - headroom),
      // A write through an interaction's token takes nothing of the bot-wide budget.
      global: !bot
        ? null
        : this.o.global
          ? this.o.global.limit - this.globalReserve(final)
          : Number.MAX_SAFE_INTEGER,
    };
    const turn = await shared.reserve(ch.id, usable).catch(() => ({ wait: 250, token: undefined }));
    if (turn.wait > 0 || !turn.token) {
      await this.sleep(ch, Math.max(1, turn.wait));
      return null;
    }
    return turn.token;
  }

  /** Writes of the channel's window progress states leave to final states. */
  private reserve(ch: Channel<T>): number {
    const now = this.o.clock.now();
    for (const [key, at] of ch.soon) if (at < now - SOON_EXPIRES_MS) ch.soon.delete(key);
    return Math.min(this.o.budget.limit - 1, Math.max(this.o.finalReserve ?? 2, ch.soon.size));
  }

  /** Writes of the global window that only final states may use. */
  private globalReserve(final: boolean): number {
    return final || !this.o.global ? 0 : Math.ceil(this.o.global.limit / 5);
  }

  /** Milliseconds before a write of this kind fits the global budget (0 = now). */
  private globalWait(final: boolean): number {
    return this.o.global ? this.o.global.wait(GLOBAL, this.globalReserve(final)) : 0;
  }

  /**
   * Arms the global timer for the first moment a blocked channel may write (a final one sooner, as it may use
   * the reserve); when it fires, as many channels wake as there are free writes, those with a final state first.
   */
  private armGlobal(): void {
    const global = this.o.global;
    if (!global || this.blocked.size === 0) return;
    const forFinal = [...this.blocked.values()].some(Boolean);
    if (this.globalTimer && (this.globalTimer.forFinal || !forFinal)) return;
    this.globalTimer?.cancel();
    const ms = Math.max(1, this.globalWait(forFinal));
    const timer = this.o.clock.setTimeout(() => {
      this.globalTimer = null;
      let free = global.room(GLOBAL);
      let freeForProgress = global.room(GLOBAL, this.globalReserve(false));
      const finalsFirst = [...this.blocked].sort((a, b) => Number(b[1]) - Number(a[1]));
      for (const [ch, final] of finalsFirst) {
        if (free <= 0 || (!final && freeForProgress <= 0)) break;
        free -= 1;
        if (!final) freeForProgress -= 1;
        this.blocked.delete(ch);
        wake(ch);
      }
      this.armGlobal();
    }, ms);
    this.globalTimer = { cancel: () => timer.cancel(), forFinal };
  }

  private async write(
    ch: Channel<T>,
    edit: Queued<T>,
    stamps: { channel: number; global: number | null; shared: string | null },
  ) {
    try {
      await this.o.send(edit.item);
    } catch (err) {
      this.o.onError(err, edit);
    } finally {
      this.o.budget.settle(ch.id, stamps.channel);
      if (stamps.global !== null) this.o.global?.settle(GLOBAL, stamps.global);
      if (stamps.shared !== null) this.o.shared?.settle(ch.id, stamps.shared);
      ch.inFlight.delete(edit.key);
      if (edit.final) ch.soon.delete(edit.key);
      for (const resolve of edit.waiters) resolve();
      wake(ch);
    }
  }

  /** Waits for a change in the channel (a new state, a write answered, a download done), or `ms`. */
  private sleep(ch: Channel<T>, ms: number | null): Promise<void> {
    return new Promise((resolve) => {
      const timer = ms === null ? null : this.o.clock.setTimeout(() => done(), ms);
      const done = () => {
        timer?.cancel();
        if (ch.wake === done) ch.wake = null;
        resolve();
      };
      ch.wake = done;
    });
  }
}

function wake<T>(ch: Channel<T>): void {
  ch.wake?.();
}

/**
 * The next state to write: a ready final first, else the longest-waiting ready first state of a message, else the
 * longest-waiting ready state; none of a busy message.
 */
function pick<T>(ch: Channel<T>): Queued<T> | null {
  let opening: Queued<T> | null = null;
  let oldest: Queued<T> | null = null;
  for (const q of ch.queue.values()) {
    if (!q.isReady || ch.inFlight.has(q.key)) continue;
    if (q.final) return q;
    if (q.first) opening ??= q;
    oldest ??= q;
  }
  return opening ?? oldest;
}
