import type { Clock } from '../util/clock.js';

/**
 * Where job leases live: `mj::lease:<jobId>` → the owning process, with an expiry. Every operation is atomic per
 * lease, so two processes never both hold one.
 */
export interface LeaseStore {
  /** Takes the leases of `ids` that nobody holds (`SET NX PX`); returns the ids taken. */
  acquire(ids: readonly string[], owner: string, ttlMs: number): Promise<string[]>;
  /** Extends the leases `owner` still holds (check-and-extend); returns those ids (the others were lost). */
  renew(ids: readonly string[], owner: string, ttlMs: number): Promise<string[]>;
  /** Gives up the leases `owner` holds (check-and-delete), so others take them at once. */
  release(ids: readonly string[], owner: string): Promise<void>;
  /** The ids of `ids` whose lease nobody holds. */
  free(ids: readonly string[]): Promise<string[]>;
}

export const leaseKey = (jobId: string) => `mj::lease:${jobId}`;

/** The same contract in memory, on an injected clock: for unit tests (and one process without Redis). */
export class MemoryLeaseStore implements LeaseStore {
  private readonly leases = new Map<string, { owner: string; until: number }>();

  constructor(private readonly clock: Clock) {}

  private holder(id: string): string | null {
    const l = this.leases.get(id);
    if (!l) return null;
    if (l.until <= this.clock.now()) {
      this.leases.delete(id);
      return null;
    }
    return l.owner;
  }

  async acquire(ids: readonly string[], owner: string, ttlMs: number): Promise<string[]> {
    const taken = ids.filter((id) => this.holder(id) === null);
    for (const id of taken) this.leases.set(id, { owner, until: this.clock.now() + ttlMs });
    return taken;
  }

  async renew(ids: readonly string[], owner: string, ttlMs: number): Promise<string[]> {
    const held = ids.filter((id) => this.holder(id) === owner);
    for (const id of held) this.leases.set(id, { owner, until: this.clock.now() + ttlMs });
    return held;
  }

  async release(ids: readonly string[], owner: string): Promise<void> {
    for (const id of ids) if (this.holder(id) === owner) this.leases.delete(id);
  }

  async free(ids: readonly string[]): Promise<string[]> {
    return ids.filter((id) => this.holder(id) === null);
  }
}
