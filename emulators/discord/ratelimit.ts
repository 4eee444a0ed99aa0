/** Per-channel sliding-window limiter for message create/edit calls, answering with Discord's headers. */
import type { Reply } from './http.js';

const BUCKET = 'fake-channel-messages';

/** Headers of a call that was not limited by the channel budget (a roomy, non-stalling budget). */
export const DEFAULT_RATE_HEADERS: Readonly<Record<string, string>> = {
  'X-RateLimit-Limit': '50',
  'X-RateLimit-Remaining': '49',
  'X-RateLimit-Reset-After': '1',
  'X-RateLimit-Reset': '0',
  'X-RateLimit-Bucket': 'fake-default',
};

export type Take = { ok: true; headers: Record<string, string> } | { ok: false; reply: Reply };

export class ChannelRateLimiter {
  readonly #hits = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  /** Spends one call of `channelId`'s budget, or builds the 429 reply when none is left. */
  take(channelId: string): Take {
    const now = this.now();
    const hits = (this.#hits.get(channelId) ?? []).filter((t) => t > now - this.windowMs);
    this.#hits.set(channelId, hits);
    if (hits.length >= this.limit) {
      const wait = Math.max(0, (hits[0] ?? now) + this.windowMs - now) / 1000;
      return {
        ok: false,
        reply: {
          status: 429,
          body: { message: 'You are being rate limited.', retry_after: wait, global: false },
          headers: {
            ...this.#headers(0, wait, now),
            'Retry-After': String(wait),
            'X-RateLimit-Scope': 'user',
          },
        },
      };
    }
    hits.push(now);
    const resetAfter = Math.max(0, (hits[0] ?? now) + this.windowMs - now) / 1000;
    return { ok: true, headers: this.#headers(this.limit - hits.length, resetAfter, now) };
  }

  #headers(remaining: number, resetAfter: number, now: number): Record<string, string> {
    return {
      'X-RateLimit-Limit': String(this.limit),
      'X-RateLimit-Remaining': String(remaining),
      'X-RateLimit-Reset-After': String(resetAfter),
      'X-RateLimit-Reset': String((now + resetAfter * 1000) / 1000),
      'X-RateLimit-Bucket': BUCKET,
    };
  }
}

/**
 * The bot-wide limit on calls made with the bot token, in fixed windows opened by the first call after the last
 * one closed (discord.js counts the same way). Interaction routes are not counted (Discord exempts them).
 */
export class GlobalRateLimiter {
  #opened = Number.NEGATIVE_INFINITY;
  #count = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  /** Counts one call, or builds the global 429 reply when the window is full. */
  take(): Reply | null {
    const now = this.now();
    if (now >= this.#opened + this.windowMs) {
      this.#opened = now;
      this.#count = 0;
    }
    if (this.#count < this.limit) {
      this.#count += 1;
      return null;
    }
    const wait = (this.#opened + this.windowMs - now) / 1000;
    return {
      status: 429,
      body: { message: 'You are being rate limited.', retry_after: wait, global: true },
      headers: {
        'Retry-After': String(wait),
        'X-RateLimit-Global': 'true',
        'X-RateLimit-Scope': 'global',
      },
    };
  }
}
