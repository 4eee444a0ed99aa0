import type { Logger } from '../log.js';
import type { Clock } from '../util/clock.js';
import type { JobStore } from './store.js';

/** How often finished jobs past their retention are removed from a SQLite store. */
export const PRUNE_EVERY_MS = 60 * 60_000;

/**
 * Bounded growth: finished jobs are kept `retentionMs` after their last change, then removed. Redis does it
 * itself (each finished record carries a TTL); a SQLite store is pruned here, at start and every hour, on the
 * injected clock.
 */
export class Retention {
  private timer: { cancel(): void } | null = null;
  private running: Promise<number> | null = null;

  constructor(
    private readonly o: {
      store: JobStore;
      clock: Clock;
      retentionMs: number;
      logger: Logger;
      everyMs?: number;
    },
  ) {}

  start(): void {
    if (this.o.store.backend.shared || this.timer) return;
    const tick = () => {
      void this.pruneNow().finally(() => {
        if (this.timer) this.timer = this.o.clock.setTimeout(tick, this.o.everyMs ?? PRUNE_EVERY_MS);
      });
    };
    this.timer = this.o.clock.setTimeout(tick, 0);
  }

  /** Removes the finished jobs older than the retention time now; resolves with how many. Never throws. */
  pruneNow(): Promise<number> {
    this.running ??= (async () => {
      const now = this.o.clock.now();
      try {
        const removed = await this.o.store.prune(now - this.o.retentionMs);
        if (removed > 0) this.o.logger.info({ removed }, 'finished jobs past their retention removed');
        return removed;
      } catch (err) {
        this.o.logger.error({ err }, 'pruning finished jobs failed');
        return 0;
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** Resolves once the pass under way, if any, is done. */
  async idle(): Promise<void> {
    await this.running;
  }

  /** Stops the timer and waits for a pass under way. */
  async stop(): Promise<void> {
    this.timer?.cancel();
    this.timer = null;
    await this.running;
  }
}
