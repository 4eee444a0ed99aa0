/** Promise-based waiting on a stream of state changes, without polling. */

interface Pending<T> {
  pred: (item: T) => boolean;
  resolve: (item: T) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** A predicate that throws (e.g. digs into a missing field) counts as "no match". */
function matches<T>(pred: (item: T) => boolean, item: T): boolean {
  try {
    return pred(item);
  } catch {
    return false;
  }
}

/** Waiters resolved by {@link Waiters.notify} when an item matching their predicate shows up. */
export class Waiters<T> {
  readonly #pending = new Set<Pending<T>>();

  /**
   * Resolves at once with the first of `current` that matches, else on the next matching `notify`;
   * rejects after `timeoutMs` with `describe()` in the message.
   */
  wait(
    pred: (item: T) => boolean,
    current: Iterable<T>,
    timeoutMs: number,
    describe: () => string,
  ): Promise<T> {
    for (const item of current) if (matches(pred, item)) return Promise.resolve(item);
    return new Promise<T>((resolve, reject) => {
      const entry: Pending<T> = {
        pred,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#pending.delete(entry);
          reject(new Error(`timed out after ${timeoutMs} ms\n${describe()}`));
        }, timeoutMs),
      };
      this.#pending.add(entry);
    });
  }

  /** Resolves every waiter whose predicate accepts `item`. */
  notify(item: T): void {
    for (const entry of [...this.#pending]) {
      if (!matches(entry.pred, item)) continue;
      clearTimeout(entry.timer);
      this.#pending.delete(entry);
      entry.resolve(item);
    }
  }

  /** Rejects every pending waiter (used on close). */
  cancelAll(reason: string): void {
    for (const entry of this.#pending) {
      clearTimeout(entry.timer);
      entry.reject(new Error(reason));
    }
    this.#pending.clear();
  }
}
