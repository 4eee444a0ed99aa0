import type { Clock } from '../util/clock.js';

/**
 * The write budget of each channel: at most `limit` message writes in ANY window of `windowMs` (a sliding log).
 * That is stricter than Discord's own bucket, whatever its reset moment, so a busy channel never earns a 429.
 */
export class ChannelBudget {
  private readonly sent = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Milliseconds until a write may go to `channelId` (0 = now). */
  wait(channelId: string): number {
    const log = this.log(channelId);
    if (log.length < this.limit) return 0;
    return Math.max(0, (log[0] as number) + this.windowMs - this.clock.now());
  }

  /** Spends one write; call only when `wait` is 0. */
  take(channelId: string): void {
    this.log(channelId).push(this.clock.now());
  }

  private log(channelId: string): number[] {
    const now = this.clock.now();
    let log = this.sent.get(channelId);
    if (!log) {
      log = [];
      this.sent.set(channelId, log);
    }
    while (log.length > 0 && (log[0] as number) <= now - this.windowMs) log.shift();
    return log;
  }
}
