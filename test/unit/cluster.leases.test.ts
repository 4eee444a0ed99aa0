import { describe, expect, it } from 'vitest';
import { MemoryLeaseStore } from '../../src/cluster/leaseStore.js';
import { JobLeases } from '../../src/cluster/leases.js';
import { LocalJobEvents } from '../../src/jobs/events.js';
import { type TaskReader, Tracker } from '../../src/jobs/tracker.js';
import { FakeClock, settle } from '../support/fakeClock.js';
import { makeJob, makeTask, silentLogger } from '../support/jobs.js';

const LEASE_MS = 15_000;

/**
 * One process's leases. Its timers run on its own clock, moved with the world's while it lives: a killed
 * process is one whose clock stops (no renewal, no release), as with SIGKILL.
 */
function proc(name: string, store: MemoryLeaseStore, jobs: () => string[]) {
  const clock = new FakeClock();
  const adopted: string[] = [];
  const lost: string[] = [];
  const leases = new JobLeases({
    store,
    owner: name,
    clock,
    logger: silentLogger,
    leaseMs: LEASE_MS,
    candidates: async () => jobs(),
    adopt: async (id) => void adopted.push(id),
    lost: (id) => void lost.push(id),
  });
  return { clock, leases, adopted, lost, alive: true };
}

function world() {
  const clock = new FakeClock();
  const store = new MemoryLeaseStore(clock);
  const ids = ['j1', 'j2', 'j3'];
  const procs = [proc('a', store, () => ids), proc('b', store, () => ids)];
  /** Moves every clock by `ms` in 100 ms steps; a dead process's clock stays put. */
  const advance = async (ms: number) => {
    for (let t = 0; t < ms; t += 100) {
      await clock.advance(100);
      for (const p of procs) if (p.alive) await p.clock.advance(100);
    }
  };
  return { clock, store, ids, procs, advance };
}

describe('job leases (fake clock, in-memory lease store)', () => {
  it('a job is held by one process only, and kept while that process lives', async () => {
    const w = world();
    const [a, b] = w.procs as [ReturnType<typeof proc>, ReturnType<typeof proc>];
    expect(await a.leases.claim('j1')).toBe(true);
    expect(await b.leases.claim('j1')).toBe(false);
    a.leases.start();
    b.leases.start();
    await w.advance(5 * LEASE_MS);
    expect(a.leases.owns('j1')).toBe(true);
    expect(b.leases.owns('j1')).toBe(false);
    expect(a.lost).toEqual([]);
    // The two jobs nobody held were taken, each by one process; a's own never changed hands.
    expect([...a.adopted, ...b.adopted].sort()).toEqual(['j2', 'j3']);
    expect(a.lost).toEqual([]);
    expect(b.lost).toEqual([]);
  });

  it("a killed process's jobs are taken over within LEASE_MS", async () => {
    const w = world();
    const [a, b] = w.procs as [ReturnType<typeof proc>, ReturnType<typeof proc>];
    for (const id of w.ids) await a.leases.claim(id);
    a.leases.start();
    b.leases.start();
    await w.advance(LEASE_MS);
    expect(b.adopted).toEqual([]);
    a.alive = false; // SIGKILL: no renewal, no release
    const killedAt = w.clock.now();
    while (b.adopted.length < 3 && w.clock.now() - killedAt <= 2 * LEASE_MS) await w.advance(100);
    expect(b.adopted.sort()).toEqual(w.ids);
    // Expired at most 2/3 LEASE_MS after the kill, found at b's next scan (every LEASE_MS / 4): a twelfth to spare.
    expect(w.clock.now() - killedAt).toBeLessThanOrEqual((LEASE_MS * 11) / 12 + 100);
  });

  it('SIGTERM hands the leases over at once, without waiting for them to expire', async () => {
    const w = world();
    const [a, b] = w.procs as [ReturnType<typeof proc>, ReturnType<typeof proc>];
    for (const id of w.ids) await a.leases.claim(id);
    a.leases.start();
    b.leases.start();
    await w.advance(LEASE_MS);
    await a.leases.stop();
    a.alive = false;
    const stoppedAt = w.clock.now();
    while (b.adopted.length < 3 && w.clock.now() - stoppedAt <= 2 * LEASE_MS) await w.advance(100);
    expect(b.adopted.sort()).toEqual(w.ids);
    // Taken at b's next scan (every LEASE_MS / 4), well before the lease's own expiry (2/3 LEASE_MS).
    expect(w.clock.now() - stoppedAt).toBeLessThanOrEqual(LEASE_MS / 4 + 100);
  });

  it('a process that could not renew in time lets the job go', async () => {
    const w = world();
    const [a, b] = w.procs as [ReturnType<typeof proc>, ReturnType<typeof proc>];
    await a.leases.claim('j1');
    a.leases.start();
    b.leases.start();
    a.alive = false; // frozen (a long pause), not dead
    await w.advance(LEASE_MS);
    expect(b.leases.owns('j1')).toBe(true);
    a.alive = true;
    await w.advance(LEASE_MS / 3);
    expect(a.lost).toEqual(['j1']);
    expect(a.leases.owns('j1')).toBe(false);
  });
});

describe('the tracker with leases', () => {
  it('polls only the jobs it owns: two trackers split the jobs, none polled twice', async () => {
    const clock = new FakeClock();
    const store = new MemoryLeaseStore(clock);
    const jobs = ['j1', 'j2', 'j3', 'j4'].map((id, i) => makeJob({ id, taskId: `t${i}` }));
    const polled: string[][] = [[], []];
    const trackers = [0, 1].map((n) => {
      const leases = new JobLeases({
        store,
        owner: `p${n}`,
        clock,
        logger: silentLogger,
        leaseMs: LEASE_MS,
        candidates: async () => [],
        adopt: async () => undefined,
        lost: () => undefined,
      });
      const reader: TaskReader = {
        async fetchMany(ids) {
          polled[n]?.push(...ids);
          return ids.map((id) => makeTask({ id }));
        },
        fetch: async () => null,
      };
      return new Tracker({
        reader,
        store: { update: async () => undefined } as never,
        clock,
        logger: silentLogger,
        events: new LocalJobEvents(silentLogger),
        baseIntervalMs: 1_000,
        batchSize: 10,
        ownership: leases,
      });
    });
    // Both processes are told of every job (a restart's resume, a takeover race): each claims first.
    for (const job of jobs) for (const t of trackers) t.track(job);
    await settle();
    for (const t of trackers) await t.pollNow();
    const all = [...(polled[0] ?? []), ...(polled[1] ?? [])].sort();
    expect(all).toEqual(['t0', 't1', 't2', 't3']);
    expect(trackers.map((t) => t.size).reduce((x, y) => x + y)).toBe(4);
  });
});
