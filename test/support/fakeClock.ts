import type { Clock } from '../../src/util/clock.js';

/** A clock the test moves: `advance(ms)` fires due timers and resolves due sleeps, in time order. */
export class FakeClock implements Clock {
  private t: number;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; ms: number; fn: () => void }>();
  private armWaiters: { ms: number; resolve: () => void }[] = [];

  constructor(start = 1_700_000_000_000) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimeout(resolve, ms));
  }

  setTimeout(fn: () => void, ms: number): { cancel(): void } {
    const id = this.seq++;
    this.timers.set(id, { at: this.t + Math.max(0, ms), ms, fn });
    const due = this.armWaiters.filter((w) => w.ms === ms);
    this.armWaiters = this.armWaiters.filter((w) => w.ms !== ms);
    for (const w of due) w.resolve();
    return { cancel: () => this.timers.delete(id) };
  }

  /**
   * Resolves once a timer (or sleep) of `ms` is waiting, already or later: the event "the code under test armed
   * its timer", so a test advances the clock only after it (no real-time wait).
   */
  armed(ms: number): Promise<void> {
    if ([...this.timers.values()].some((x) => x.ms === ms)) return Promise.resolve();
    return new Promise((resolve) => this.armWaiters.push({ ms, resolve }));
  }

  /** Number of timers waiting. */
  get pending(): number {
    return this.timers.size;
  }

  /** Moves time forward, running each due timer (and letting its promise callbacks settle) in order. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      const next = [...this.timers.entries()]
        .filter(([, x]) => x.at <= end)
        .sort((a, b) => a[1].at - b[1].at)[0];
      if (!next) break;
      this.timers.delete(next[0]);
      this.t = Math.max(this.t, next[1].at);
      next[1].fn();
      await settle();
    }
    this.t = end;
    await settle();
  }
}

/**
 * Awaits `work` while moving `clock` forward in steps, for code that sleeps on the clock between its own
 * async steps. Fails after `maxSteps` steps rather than hanging.
 */
export async function drive<T>(
  clock: FakeClock,
  work: Promise<T>,
  stepMs = 250,
  maxSteps = 10_000,
  /**
   * Real milliseconds to yield after each step, for work that also waits on a real timer the test cannot drive
   * (discord.js's REST queue sleeps in real time once a rate-limit bucket says it is empty).
   */
  yieldMs = 0,
): Promise<T> {
  let done = false;
  const watched = work.finally(() => {
    done = true;
  });
  for (let i = 0; i < maxSteps && !done; i++) {
    await clock.advance(stepMs);
    if (yieldMs > 0) await new Promise<void>((resolve) => setTimeout(resolve, yieldMs));
  }
  if (!done) throw new Error(`work did not finish within ${maxSteps} clock steps`);
  return watched;
}

/** Lets pending promise callbacks run (a few macrotask turns, no wall-clock wait). */
export async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
