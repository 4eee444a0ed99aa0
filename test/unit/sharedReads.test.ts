import { describe, expect, it } from 'vitest';
import { MemoryLeaseStore } from '../../src/cluster/leaseStore.js';
import { JobLeases } from '../../src/cluster/leases.js';
import {
  applyNews,
  READER_LEASE,
  type ReadNews,
  type ReadState,
  SharedReads,
  splitNews,
} from '../../src/cluster/sharedReads.js';
import { rankOfMark, taskMark } from '../../src/cluster/taskOrder.js';
import { LocalJobEvents } from '../../src/jobs/events.js';
import type { TaskReader } from '../../src/jobs/taskLists.js';
import { Tracker } from '../../src/jobs/tracker.js';
import type { MjTask } from '../../src/upstream/types.js';
import { FakeClock, settle } from '../support/fakeClock.js';
import { makeJob, makeTask, memoryStore, silentLogger } from '../support/jobs.js';

const LEASE_MS = 15_000;
const INTERVAL_MS = 3_000;

/** A promise a frozen process waits on forever. */
const never = <T>() => new Promise<T>(() => undefined);

/**
 * `n` processes over one store, one lease store and one upstream, on one fake clock: each with its tracker, job
 * leases and shared reads, wired as src/cluster/index.ts wires them (news for another process reaches it as
 * pub/sub would). A process can be frozen: none of its I/O answers any more (a SIGKILL, as the others see it).
 */
function world(n: number, jobCount: number) {
  const clock = new FakeClock();
  const store = memoryStore();
  const leaseStore = new MemoryLeaseStore(clock);
  const upstream = new Map<string, MjTask>();
  const lists: string[][] = [];
  const marks = new Map<string, string>();
  let beat: { owner: string; until: number } | null = null;
  const state: ReadState = {
    tracking: () => store.trackingTasks(),
    marks: async (ids) => ids.map((id) => marks.get(id) ?? null),
    beat: async (owner, ttlMs) => {
      beat = { owner, until: clock.now() + ttlMs };
    },
    fresh: async () => beat !== null && beat.until > clock.now(),
    end: async (owner) => {
      if (beat?.owner === owner) beat = null;
    },
  };
  const reader: TaskReader = {
    async fetchMany(ids) {
      lists.push(ids);
      return ids.flatMap((id) => upstream.get(id) ?? []);
    },
    fetch: async (id) => upstream.get(id) ?? null,
  };
  /** The task order of src/cluster/taskOrder.ts, in memory. */
  const isNewer = async (jobId: string, task: MjTask) => {
    const mark = taskMark(task);
    const known = marks.get(jobId);
    if (known !== undefined && rankOfMark(mark) < rankOfMark(known)) return false;
    marks.set(jobId, mark);
    return true;
  };
  const procs: Array<ReturnType<typeof proc>> = [];
  function proc(owner: string) {
    const me = { alive: true };
    const gate =
      <A extends unknown[], T>(fn: (...args: A) => Promise<T>) =>
      (...args: A): Promise<T> =>
        me.alive ? fn(...args) : never<T>();
    const gatedLeases = {
      acquire: gate(leaseStore.acquire.bind(leaseStore)),
      renew: gate(leaseStore.renew.bind(leaseStore)),
      release: gate(leaseStore.release.bind(leaseStore)),
      free: gate(leaseStore.free.bind(leaseStore)),
    };
    const gatedState: ReadState = {
      tracking: gate(state.tracking),
      marks: gate(state.marks),
      beat: gate(state.beat),
      fresh: gate(state.fresh),
      end: gate(state.end),
    };
    const gatedReader: TaskReader = { fetchMany: gate(reader.fetchMany), fetch: gate(reader.fetch) };
    const leases: JobLeases = new JobLeases({
      store: gatedLeases,
      owner,
      clock,
      logger: silentLogger,
      leaseMs: LEASE_MS,
      candidates: async () => [...(await store.trackingTasks()).keys()],
      adopt: async (id) => {
        const job = await store.get(id);
        if (job) tracker.track(job);
      },
      lost: (id) => tracker.untrack(id),
    });
    const tracker = new Tracker({
      reader: gatedReader,
      store,
      clock,
      logger: silentLogger,
      events: new LocalJobEvents(silentLogger),
      baseIntervalMs: INTERVAL_MS,
      batchSize: 100,
      random: () => 0.5,
      ownership: leases,
      isNewer,
      sharedReads: { covered: gatedState.fresh },
    });
    const news: ReadNews[] = [];
    const reads = new SharedReads({
      owner,
      clock,
      logger: silentLogger,
      leases: gatedLeases,
      leaseMs: LEASE_MS,
      state: gatedState,
      reader: gatedReader,
      batchSize: 100,
      baseIntervalMs: INTERVAL_MS,
      random: () => 0.5,
      deliver: async (batch) => {
        news.push(batch);
        const { mine, others } = splitNews(batch, (jobId) => tracker.has(jobId));
        for (const p of procs)
          if (p.tracker !== tracker && p.me.alive) void applyNews(p.tracker, others, silentLogger);
        await applyNews(tracker, mine, silentLogger);
      },
    });
    return {
      me,
      tracker,
      leases,
      reads,
      news,
      start() {
        leases.start();
        tracker.start();
        reads.start();
      },
    };
  }
  for (let i = 0; i < n; i++) procs.push(proc(`p${i}`));
  const jobs = Array.from({ length: jobCount }, (_, i) =>
    makeJob({ id: `j${i}`, phase: 'tracking', taskId: `t${i}`, deadlineAt: Number.MAX_SAFE_INTEGER }),
  );
  const progress = (ids: number[], percent: number) => {
    for (const i of ids) upstream.set(`t${i}`, makeTask({ id: `t${i}`, progress: `${percent}%` }));
  };
  return {
    clock,
    store,
    leaseStore,
    marks,
    procs,
    lists,
    upstream,
    progress,
    /** Saves the jobs and has process `i % n` follow job `i`, then starts the processes in order. */
    async begin() {
      for (const job of jobs) await store.save(job);
      for (const [i, job] of jobs.entries()) procs[i % n]?.tracker.track(job);
      await settle();
      for (const p of procs) {
        p.start();
        await settle();
      }
    },
    async progressOf(id: string) {
      return (await store.get(id))?.task?.progress ?? null;
    },
  };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
type Proc = ReturnType<typeof world>['procs'][number];
const two = (w: ReturnType<typeof world>) => w.procs as [Proc, Proc];

/** Two processes sharing `jobs` jobs, every task at 10 %, started, and the reader's first round read. */
async function running(jobs: number) {
  const w = world(2, jobs);
  w.progress(range(jobs), 10);
  await w.begin();
  await w.clock.advance(0);
  return { w, procs: two(w) };
}
const newsSize = (news: ReadNews[]) => news.reduce((sum, b) => sum + b.tasks.length, 0);

describe('shared reads (several processes, one reader)', () => {
  it('reads the jobs of every process in one list request per round; each process applies its own', async () => {
    const w = world(2, 80);
    w.progress(range(80), 10);
    await w.begin();
    const [p0, p1] = two(w);
    expect(p0.reads.isReader).toBe(true); // started first, took the lease
    expect(p1.reads.isReader).toBe(false);
    expect(p0.tracker.size).toBe(40);
    expect(p1.tracker.size).toBe(40);
    await w.clock.advance(4 * INTERVAL_MS);
    // One process alone would read 80 jobs in one request per period; two reading their own, in two.
    expect(w.lists.map((ids) => ids.length)).toEqual([80, 80, 80, 80, 80]);
    for (const i of range(80)) expect(await w.progressOf(`j${i}`)).toBe(10);
  });

  it('hands over only states not yet applied, each to the process that follows its job', async () => {
    const {
      w,
      procs: [p0],
    } = await running(80);
    expect(newsSize(p0.news)).toBe(80); // the first round: nothing applied yet
    await w.clock.advance(INTERVAL_MS);
    expect(newsSize(p0.news)).toBe(80); // nothing changed upstream: nothing handed over
    w.progress([3, 4, 5], 60); // j3 and j5 are p1's, j4 is p0's
    await w.clock.advance(INTERVAL_MS);
    expect(p0.news.at(-1)?.tasks.map((t) => t.jobId)).toEqual(['j3', 'j4', 'j5']);
    for (const id of ['j3', 'j4', 'j5']) expect(await w.progressOf(id)).toBe(60);
    expect(await w.progressOf('j6')).toBe(10);
  });

  it('hands a state to a frozen process again each round, until the process taking its job over applies it', async () => {
    const {
      w,
      procs: [p0, p1],
    } = await running(10);
    p1.me.alive = false;
    w.upstream.set(
      't1',
      makeTask({ id: 't1', status: 'SUCCESS', progress: '100%', imageUrl: 'https://cdn.example/1.png' }),
    );
    await w.clock.advance(3 * INTERVAL_MS);
    // Three rounds, each handing j1's final state over again: p1 never applied it.
    const handed = p0.news.filter((b) =>
      b.tasks.some((t) => t.jobId === 'j1' && t.task.status === 'SUCCESS'),
    );
    expect(handed).toHaveLength(3);
    expect((await w.store.get('j1'))?.phase).toBe('tracking');
    await w.clock.advance(LEASE_MS); // p1's leases expired: p0 took its jobs over
    expect(p0.tracker.has('j3')).toBe(true);
    expect((await w.store.get('j1'))?.phase).toBe('succeeded');
  });

  it('hands an applied-looking state over again within 20 rounds, in case its save failed after the check', async () => {
    const w = world(2, 4);
    w.progress(range(4), 10);
    await w.begin();
    await w.clock.advance(0);
    const done = makeTask({
      id: 't2',
      status: 'SUCCESS',
      progress: '100%',
      imageUrl: 'https://cdn.example/2.png',
    });
    w.upstream.set('t2', done);
    w.marks.set('j2', taskMark(done)); // a process checked the state in, then its save failed
    await w.clock.advance(10 * INTERVAL_MS);
    expect((await w.store.get('j2'))?.phase).toBe('tracking');
    await w.clock.advance(10 * INTERVAL_MS);
    expect((await w.store.get('j2'))?.phase).toBe('succeeded');
  });

  it('does not read the jobs nobody holds until a process takes them over', async () => {
    const {
      w,
      procs: [p0, p1],
    } = await running(10);
    expect(w.lists.at(-1)).toHaveLength(10);
    // p1 gives its jobs up and is gone: until p0's next lease scan nobody could apply their news.
    p1.me.alive = false;
    const theirs = range(10)
      .filter((i) => i % 2 === 1)
      .map((i) => `j${i}`);
    await w.leaseStore.release(theirs, 'p1');
    await w.clock.advance(INTERVAL_MS);
    expect(w.lists.at(-1)).toEqual(['t0', 't2', 't4', 't6', 't8']);
    await w.clock.advance(LEASE_MS / 4); // p0's scan took them
    expect(p0.tracker.size).toBe(10);
    await w.clock.advance(INTERVAL_MS);
    expect(w.lists.at(-1)).toHaveLength(10);
  });

  it('ends a job as vanished once the upstream missed its task three rounds in a row', async () => {
    const w = world(2, 4);
    w.progress([0, 2, 3], 10); // t1 (p1's) is unknown upstream
    await w.begin();
    await w.clock.advance(INTERVAL_MS);
    expect((await w.store.get('j1'))?.phase).toBe('tracking'); // two misses
    await w.clock.advance(INTERVAL_MS);
    const job = await w.store.get('j1');
    expect(job?.phase).toBe('failed');
    expect(job?.failure?.kind).toBe('vanished');
    expect((await w.store.get('j3'))?.phase).toBe('tracking');
  });

  it('a frozen reader: the others read their own jobs until one of them takes the reader lease', async () => {
    const {
      w,
      procs: [p0, p1],
    } = await running(80);
    p0.me.alive = false;
    const before = w.lists.length;
    await w.clock.advance(LEASE_MS - 5_000);
    // p0's beat outlived its last round (t=0) by two periods and a second (7 s): at its tick at 9 s p1 read its
    // own 40; at 10 s p0's leases expired and p1, taking the reader's, read its 40 (p0's jobs wait for the scan).
    expect(w.lists.slice(before).map((ids) => ids.length)).toEqual([40, 40]);
    expect(p1.reads.isReader).toBe(true);
    const since = w.lists.length;
    await w.clock.advance(2 * INTERVAL_MS); // p1's lease scan took p0's jobs over: it reads all 80
    expect(w.lists.slice(since).map((ids) => ids.length)).toEqual([80, 80]);
    expect(p1.tracker.size).toBe(80);
  });

  it('a process stopped while it asked for the reader lease gives it back', async () => {
    const clock = new FakeClock();
    const store = new MemoryLeaseStore(clock);
    let answer: () => void = () => undefined;
    const asked = new Promise<void>((resolve) => {
      answer = resolve;
    });
    const reads = new SharedReads({
      owner: 'p0',
      clock,
      logger: silentLogger,
      leases: {
        acquire: async (ids, owner, ttlMs) => {
          await asked; // Redis answers after the SIGTERM
          return store.acquire(ids, owner, ttlMs);
        },
        renew: (ids, owner, ttlMs) => store.renew(ids, owner, ttlMs),
        release: (ids, owner) => store.release(ids, owner),
        free: (ids) => store.free(ids),
      },
      leaseMs: LEASE_MS,
      state: {
        tracking: async () => new Map(),
        marks: async () => [],
        beat: async () => undefined,
        fresh: async () => false,
        end: async () => undefined,
      },
      reader: { fetchMany: async () => [], fetch: async () => null },
      batchSize: 100,
      baseIntervalMs: INTERVAL_MS,
      deliver: async () => undefined,
    });
    reads.start();
    await reads.stop();
    answer();
    await settle();
    expect(await store.free([READER_LEASE])).toEqual([READER_LEASE]); // not held until its TTL runs out
    expect(reads.isReader).toBe(false);
  });

  it('a reader stopped with SIGTERM hands the reading over at once', async () => {
    const {
      w,
      procs: [p0, p1],
    } = await running(80);
    await p0.reads.stop();
    const since = w.lists.length;
    await w.clock.advance(LEASE_MS / 6); // p1's next look for the lease
    expect(p1.reads.isReader).toBe(true);
    // At 2.5 s, long before the beat (7 s) or the lease (10 s) would have run out, p1 took the lease and read all.
    expect(w.lists.slice(since).map((ids) => ids.length)).toEqual([80]);
  });
});
