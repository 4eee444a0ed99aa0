import type { Clock } from '../util/clock.js';

/**
 * A token bucket per channel: at most `limit` message writes per `windowMs` in one channel, refilled smoothly,
 * so a busy channel stays inside Discord's edit budget instead of collecting 429s.
 */
export class ChannelBudget {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Milliseconds until a write may go to `channelId` (0 = now). */
  wait(channelId: string): number {
    const b = this.refill(channelId);
    return b.tokens >= 1 ? 0 : Math.ceil(((1 - b.tokens) * this.windowMs) / this.limit);
  }

  /** Spends one write; call only when `wait` is 0. */
  take(channelId: string): void {
    this.refill(channelId).tokens -= 1;
  }

  private refill(channelId: string) {
    const now = this.clock.now();
    let b = this.buckets.get(channelId);
    if (!b) {
      b = { tokens: this.limit, at: now };
      this.buckets.set(channelId, b);
    }
    b.tokens = Math.min(this.limit, b.tokens + ((now - b.at) * this.limit) / this.windowMs);
    b.at = now;
    return b;
  }
}
