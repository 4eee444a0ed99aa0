import type { Clock } from '../util/clock.js';

/**
 * A write budget per key (a channel, or `*` for the whole bot): at most `limit` writes in ANY window of
 * `windowMs` (a sliding log). That is stricter than Discord's own buckets, whatever their reset moment, so a busy
 * channel never earns a 429. A write counts from when it is sent until it is answered (`settle`): Discord counts
 * it when it arrives, which may be later than when it left (a slow upload, a queue in discord.js).
 */
export class ChannelBudget {
  private readonly sent = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /**
   * Milliseconds until a write may go to `key` (0 = now). `headroom` writes of the window are left unused, for
   * writes that matter more (final states); at least one write per window always remains usable.
   */
  wait(key: string, headroom = 0): number {
    const log = this.log(key);
    if (log.length === 0) this.sent.delete(key); // idle keys cost nothing
    const usable = Math.max(1, this.limit - headroom);
    if (log.length < usable) return 0;
    return Math.max(1, (log[log.length - usable] as number) + this.windowMs - this.clock.now());
  }

  /** Writes that may go to `key` now, leaving `headroom` unused. */
  room(key: string, headroom = 0): number {
    return Math.max(0, Math.max(1, this.limit - headroom) - this.log(key).length);
  }

  /** Spends one write; call only when `wait` is 0. Returns its stamp for `settle`. */
  take(key: string): number {
    const now = this.clock.now();
    this.log(key).push(now);
    return now;
  }

  /** The write stamped `stamp` was answered: it counts from now, as Discord may have seen it only now. */
  settle(key: string, stamp: number): void {
    const log = this.log(key);
    const i = log.indexOf(stamp);
    if (i >= 0) log.splice(i, 1);
    log.push(this.clock.now());
  }

  private log(key: string): number[] {
    const now = this.clock.now();
    let log = this.sent.get(key);
    if (!log) {
      log = [];
      this.sent.set(key, log);
    }
    while (log.length > 0 && (log[0] as number) <= now - this.windowMs) log.shift();
    return log;
  }
}

/**
 * A budget several processes share (src/cluster/budget.ts, in Redis): asked after this process's own budgets
 * agree, it counts the write for the channel and for the whole bot when both have room.
 */
export interface SharedBudget {
  /**
   * Takes one write of `channelId` when fewer than `channel` writes went there in the window and fewer than
   * `global` went anywhere (`global` null: a write through an interaction's token, not counted bot-wide):
   * `{ wait: 0, token }`; else `{ wait }`, the milliseconds until one may fit.
   */
  reserve(
    channelId: string,
    usable: { channel: number; global: number | null },
  ): Promise<{ wait: number; token?: string }>;
  /** The write `token` was answered: it counts from now (Discord may have seen it only now). */
  settle(channelId: string, token: string): void;
}
