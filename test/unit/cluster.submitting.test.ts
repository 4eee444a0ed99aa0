import { describe, expect, it } from 'vitest';
import { MemoryLeaseStore } from '../../src/cluster/leaseStore.js';
import { JobLeases } from '../../src/cluster/leases.js';
import { LocalJobEvents } from '../../src/jobs/events.js';
import { Jobs } from '../../src/jobs/service.js';
import { Tracker } from '../../src/jobs/tracker.js';
import type { SubmitResult } from '../../src/upstream/types.js';
import { FakeClock, settle } from '../support/fakeClock.js';
import { makeJob, memoryStore, silentLogger } from '../support/jobs.js';

const LEASE_MS = 15_000;
const SUBMIT_TIMEOUT_MS = 30_000;

/** Two processes over one store and one lease store, on one fake clock. */
function world(cluster = true) {
  const clock = new FakeClock(Date.UTC(2025, 5, 10, 12));
  const store = memoryStore();
  const leaseStore = new MemoryLeaseStore(clock);
  const proc = (owner: string) => {
    const events = new LocalJobEvents(silentLogger);
    const leases = new JobLeases({
      store: leaseStore,
      owner,
      clock,
      logger: silentLogger,
      leaseMs: LEASE_MS,
      candidates: async () => [],
      adopt: async () => undefined,
      lost: () => undefined,
    });
    const tracker = new Tracker({
      reader: { fetchMany: async () => [], fetch: async () => null },
      store,
      clock,
      logger: silentLogger,
      events,
      baseIntervalMs: 1_000,
      batchSize: 50,
      ...(cluster ? { ownership: leases } : {}),
    });
    const submitters = cluster ? { submitters: { ...bind(leases), timeoutMs: SUBMIT_TIMEOUT_MS } } : {};
    const jobs = new Jobs({
      store,
      tracker,
      clock,
      logger: silentLogger,
      deadlineMs: 600_000,
      events,
      ...submitters,
    });
    return { leases, jobs };
  };
  return { clock, store, a: proc('a'), b: proc('b') };
}

const bind = (l: JobLeases) => ({
  claim: (id: string) => l.claim(id),
  release: (id: string) => l.release(id),
});

/** A job just created, about to be submitted. */
async function newJob(w: ReturnType<typeof world>) {
  const now = w.clock.now();
  const job = makeJob({
    id: 'j1',
    phase: 'submitting',
    taskId: null,
    task: null,
    createdAt: now,
    updatedAt: now,
  });
  await w.store.save(job);
  return job;
}

/** A submit that answers only when the test says so. */
function pendingSubmit() {
  let answer: (r: SubmitResult) => void = () => undefined;
  const send = () => new Promise<SubmitResult>((resolve) => (answer = resolve));
  return {
    send,
    accept: () => answer({ kind: 'accepted', taskId: 't1', code: 1, description: 'ok', queuePosition: 0 }),
  };
}

describe('jobs caught mid-submit with several processes (fake clock, in-memory leases)', () => {
  it('a restarting process leaves alone a job another live process is submitting', async () => {
    const w = world();
    const job = await newJob(w);
    const submit = pendingSubmit();
    const submitting = w.a.jobs.submit(job, submit.send);
    w.a.leases.start(); // a lives: its lease is renewed
    await w.clock.advance(2 * SUBMIT_TIMEOUT_MS); // even past the submit timeout
    expect((await w.b.jobs.resume()).abandoned).toBe(0);
    expect((await w.store.get(job.id))?.phase).toBe('submitting');
    submit.accept();
    expect((await submitting).phase).toBe('tracking');
    await w.a.leases.stop();
  });

  it('a job whose submitter died is ended as unknown outcome once the submit timeout passed', async () => {
    const w = world();
    const job = await newJob(w);
    void w.a.jobs.submit(job, pendingSubmit().send); // a dies here: its lease is never renewed
    await w.clock.advance(LEASE_MS); // the lease expired, the submit timeout not yet
    expect(await w.b.jobs.abandonStale(await w.store.activeJobs())).toBe(0);
    await w.clock.advance(SUBMIT_TIMEOUT_MS);
    expect(await w.b.jobs.abandonStale(await w.store.activeJobs())).toBe(1);
    const ended = await w.store.get(job.id);
    expect(ended?.phase).toBe('failed');
    expect(ended?.failure?.kind).toBe('unknown_outcome');
    expect(w.b.leases.count).toBe(0); // the lease taken to end it is let go
  });

  it('an outcome that cannot be saved lets the lease go, so the job is ended later instead of held', async () => {
    const w = world();
    const job = await newJob(w);
    const submit = pendingSubmit();
    const submitting = w.a.jobs.submit(job, submit.send);
    await settle();
    expect(w.a.leases.owns(job.id)).toBe(true); // held while the submit is under way
    const update = w.store.update.bind(w.store);
    w.store.update = async () => {
      throw new Error('the store is unreachable');
    };
    submit.accept();
    await expect(submitting).rejects.toThrow('unreachable');
    w.store.update = update;
    expect(w.a.leases.owns(job.id)).toBe(false);
    await w.clock.advance(SUBMIT_TIMEOUT_MS);
    expect(await w.b.jobs.abandonStale(await w.store.activeJobs())).toBe(1);
    expect((await w.store.get(job.id))?.failure?.kind).toBe('unknown_outcome');
  });

  it('one process: every job caught mid-submit at start ends as unknown outcome, as before', async () => {
    const w = world(false);
    const job = await newJob(w);
    expect((await w.b.jobs.resume()).abandoned).toBe(1);
    expect((await w.store.get(job.id))?.failure?.kind).toBe('unknown_outcome');
  });
});
