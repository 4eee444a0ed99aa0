import { describe, expect, it } from 'vitest';
import { type JobEvent, LocalJobEvents } from '../../src/jobs/events.js';
import { type TaskReader, Tracker, type TrackerOptions } from '../../src/jobs/tracker.js';
import type { Job } from '../../src/jobs/types.js';
import { MjError } from '../../src/upstream/errors.js';
import type { MjTask } from '../../src/upstream/types.js';
import { drive, FakeClock } from '../support/fakeClock.js';
import { capturingLogger, makeJob, makeTask, memoryStore, silentLogger } from '../support/jobs.js';

/** A reader over a map of tasks that counts its calls. */
function reader(
  tasks: Map<string, MjTask>,
  opts: { batch?: boolean; failBatches?: number; failOne?: string } = {},
) {
  const calls = { many: 0, one: 0, ids: [] as string[][], oneIds: [] as string[] };
  let failures = opts.failBatches ?? 0;
  const r: TaskReader = {
    async fetchMany(ids) {
      calls.many += 1;
      calls.ids.push(ids);
      if (opts.batch === false) throw new MjError({ kind: 'unsupported' });
      if (failures-- > 0) throw new MjError({ kind: 'unavailable', httpStatus: 503 });
      return ids.flatMap((id) => (tasks.has(id) ? [tasks.get(id) as MjTask] : []));
    },
    async fetch(id) {
      calls.one += 1;
      calls.oneIds.push(id);
      if (id === opts.failOne) throw new MjError({ kind: 'unavailable', httpStatus: 500 });
      return tasks.get(id) ?? null;
    },
  };
  return { r, calls };
}

async function setup(
  jobs: Job[],
  tasks: Map<string, MjTask>,
  opts: Parameters<typeof reader>[1] = {},
  batchSize = 50,
  extra: Partial<TrackerOptions> = {},
) {
  const store = memoryStore();
  const clock = new FakeClock();
  const changes: Job[] = [];
  const events: JobEvent[] = [];
  const bus = new LocalJobEvents(silentLogger);
  bus.on('*', (event) => {
    events.push(event);
    changes.push(event.job);
  });
  const { r, calls } = reader(tasks, opts);
  const tracker = new Tracker({
    reader: r,
    store,
    clock,
    logger: silentLogger,
    events: bus,
    baseIntervalMs: 3_000,
    batchSize,
    random: () => 0.5, // no jitter: the schedule is exact
    ...extra,
  });
  for (const job of jobs) {
    await store.save(job);
    tracker.track(job);
  }
  return { store, clock, tracker, changes, events, calls };
}

describe('Tracker', () => {
  it('reads every tracked task in one batched request per tick and reports only changes', async () => {
    const tasks = new Map([
      ['t1', makeTask({ id: 't1', progress: '15%' })],
      ['t2', makeTask({ id: 't2', status: 'SUBMITTED', progress: '0%' })],
    ]);
    const { tracker, changes, calls } = await setup(
      [makeJob({ id: 'a', taskId: 't1' }), makeJob({ id: 'b', taskId: 't2' })],
      tasks,
    );
    await tracker.pollNow();
    expect(calls.many).toBe(1);
    expect(calls.ids[0]?.sort()).toEqual(['t1', 't2']);
    expect(changes.map((j) => [j.id, j.task?.progress])).toEqual([
      ['a', 15],
      ['b', 0],
    ]);
    await tracker.pollNow();
    expect(changes).toHaveLength(2); // nothing changed upstream: nothing reported
  });

  it('ends a job on SUCCESS with its buttons and stops polling it', async () => {
    const tasks = new Map([['t1', makeTask({ id: 't1', progress: '50%' })]]);
    const { tracker, changes, events, calls, store } = await setup(
      [makeJob({ id: 'a', taskId: 't1' })],
      tasks,
    );
    await tracker.pollNow();
    expect(tracker.jobOfTask('t1')).toBe('a'); // what a callback for t1 is matched with
    tasks.set(
      't1',
      makeTask({
        id: 't1',
        status: 'SUCCESS',
        progress: '100%',
        imageUrl: 'http://127.0.0.1/final.png',
        buttons: [{ customId: 'MJ::JOB::upsample::1::h', label: 'U1', emoji: '', style: 2, type: 2 }],
      }),
    );
    await tracker.pollNow();
    expect(events.map((e) => e.type)).toEqual(['progressed', 'finished']);
    expect(changes.at(-1)?.phase).toBe('succeeded');
    expect(changes.at(-1)?.task?.buttons).toHaveLength(1);
    expect(tracker.has('a')).toBe(false);
    expect(tracker.jobOfTask('t1')).toBeNull();
    expect(await store.activeIds()).toEqual([]);
    const before = calls.many;
    await tracker.pollNow();
    expect(calls.many).toBe(before);
  });

  it('reports a FAILURE with its reason', async () => {
    const tasks = new Map([
      ['t1', makeTask({ id: 't1', status: 'FAILURE', failReason: 'Banned prompt detected' })],
    ]);
    const { tracker, changes, events } = await setup([makeJob({ id: 'a', taskId: 't1' })], tasks);
    await tracker.pollNow();
    expect(events.map((e) => e.type)).toEqual(['failed']);
    expect(changes[0]?.phase).toBe('failed');
    expect(changes[0]?.failure).toEqual({ kind: 'upstream_failure', detail: 'Banned prompt detected' });
  });

  it('stops polling a task that waits in MODAL', async () => {
    const tasks = new Map([
      ['t1', makeTask({ id: 't1', status: 'MODAL', properties: { finalPrompt: 'edit me' } })],
    ]);
    const { tracker, changes, events } = await setup([makeJob({ id: 'a', taskId: 't1' })], tasks);
    await tracker.pollNow();
    expect(events.map((e) => e.type)).toEqual(['paused']);
    expect(changes[0]?.phase).toBe('modal');
    expect(changes[0]?.task?.finalPrompt).toBe('edit me');
    expect(tracker.has('a')).toBe(false);
  });

  it('falls back to one fetch per task when the upstream lacks list-by-condition', async () => {
    const tasks = new Map([
      ['t1', makeTask({ id: 't1', progress: '10%' })],
      ['t2', makeTask({ id: 't2', progress: '20%' })],
    ]);
    const { tracker, calls, changes } = await setup(
      [makeJob({ id: 'a', taskId: 't1' }), makeJob({ id: 'b', taskId: 't2' })],
      tasks,
      { batch: false },
    );
    await tracker.pollNow();
    await tracker.pollNow();
    expect(calls.many).toBe(1); // asked once, then never again
    expect(calls.one).toBe(4);
    expect(changes).toHaveLength(2);
  });

  it('splits large sets into batches of the configured size', async () => {
    const tasks = new Map<string, MjTask>();
    const jobs: Job[] = [];
    for (let i = 0; i < 5; i++) {
      tasks.set(`t${i}`, makeTask({ id: `t${i}`, progress: '5%' }));
      jobs.push(makeJob({ id: `j${i}`, taskId: `t${i}` }));
    }
    const { tracker, calls, clock } = await setup(jobs, tasks, {}, 2);
    await drive(clock, tracker.pollNow()); // the spacing between batches is a clock sleep
    expect(calls.ids.map((ids) => ids.length)).toEqual([2, 2, 1]);
  });

  it('ends a job that passes its deadline with a clear reason', async () => {
    const tasks = new Map([['t1', makeTask({ id: 't1', status: 'SUBMITTED', progress: '0%' })]]);
    const { tracker, changes, clock } = await setup(
      [makeJob({ id: 'a', taskId: 't1', deadlineAt: 1_700_000_060_000 })],
      tasks,
    );
    await tracker.pollNow();
    expect(changes.at(-1)?.phase).toBe('tracking');
    await clock.advance(61_000);
    await tracker.pollNow();
    expect(changes.at(-1)?.phase).toBe('failed');
    expect(changes.at(-1)?.failure?.kind).toBe('deadline');
  });

  it('ends a job whose task the upstream forgot, after repeated misses', async () => {
    const { tracker, changes } = await setup([makeJob({ id: 'a', taskId: 'gone' })], new Map());
    await tracker.pollNow();
    await tracker.pollNow();
    expect(changes).toHaveLength(0);
    await tracker.pollNow();
    expect(changes[0]?.failure?.kind).toBe('vanished');
  });

  it('backs off after upstream errors and recovers', async () => {
    const tasks = new Map([['t1', makeTask({ id: 't1', progress: '30%' })]]);
    const { tracker, changes, calls, clock } = await setup([makeJob({ id: 'a', taskId: 't1' })], tasks, {
      failBatches: 2,
    });
    const base = tracker.interval();
    await tracker.pollNow();
    expect(tracker.interval()).toBe(base * 2);
    await tracker.pollNow(); // the job waits out its own backoff: no request, nothing learned
    expect(calls.many).toBe(1);
    expect(tracker.interval()).toBe(base * 2);
    await clock.advance(6_000);
    await tracker.pollNow();
    expect(calls.many).toBe(2);
    expect(tracker.interval()).toBe(base * 4);
    await clock.advance(12_000);
    await tracker.pollNow();
    expect(tracker.interval()).toBe(base);
    expect(changes[0]?.task?.progress).toBe(30);
  });

  it('says when the store, not the upstream, failed: the task read is saved at a later tick', async () => {
    const tasks = new Map([['t1', makeTask({ id: 't1', progress: '30%' })]]);
    const { logger, lines } = capturingLogger();
    const { tracker, changes, store, clock } = await setup(
      [makeJob({ id: 'a', taskId: 't1' })],
      tasks,
      {},
      50,
      {
        logger,
      },
    );
    const update = store.update.bind(store);
    store.update = async () => {
      throw new Error('the store is unreachable');
    };
    await tracker.pollNow();
    const warned = lines.filter((l) => l.level === 40).map((l) => l.msg);
    expect(warned).toEqual(['saving polled tasks failed; backing off']);
    expect(changes).toHaveLength(0);
    store.update = update;
    await clock.advance(6_000);
    await tracker.pollNow();
    expect(changes[0]?.task?.progress).toBe(30);
  });

  it('backs off only the job whose read failed, and keeps reading the others', async () => {
    const tasks = new Map([
      ['t1', makeTask({ id: 't1', progress: '10%' })],
      ['t2', makeTask({ id: 't2', progress: '20%' })],
    ]);
    const { tracker, calls, clock, changes } = await setup(
      [makeJob({ id: 'a', taskId: 't1' }), makeJob({ id: 'b', taskId: 't2' })],
      tasks,
      { batch: false, failOne: 't1' },
    );
    await tracker.pollNow();
    expect(changes.map((j) => j.id)).toEqual(['b']);
    expect(tracker.interval()).toBe(3_000); // one task's trouble is not the upstream's
    tasks.set('t2', makeTask({ id: 't2', progress: '40%' }));
    await tracker.pollNow();
    expect(calls.oneIds).toEqual(['t1', 't2', 't2']); // t1 waits out its backoff
    await clock.advance(6_000);
    await tracker.pollNow();
    expect(calls.oneIds.slice(3)).toEqual(['t1', 't2']);
  });

  it('spreads the wait between ticks with jitter and keeps a fixed rate', async () => {
    const tasks = new Map([['t1', makeTask({ id: 't1', progress: '40%' })]]);
    const { tracker, calls, clock } = await setup([makeJob({ id: 'a', taskId: 't1' })], tasks, {}, 50, {
      random: () => 0.99,
    });
    tracker.start();
    await clock.advance(3_000);
    expect(calls.many).toBe(0); // 3 s + 9.8 % jitter
    await clock.advance(300);
    expect(calls.many).toBe(1);
    await tracker.stop();
  });

  it('polls on its own schedule once started; the interval grows only past the request rate', async () => {
    const tasks = new Map([['t1', makeTask({ id: 't1', progress: '40%' })]]);
    const { tracker, calls, clock } = await setup([makeJob({ id: 'a', taskId: 't1' })], tasks);
    tracker.start();
    await clock.advance(2_999);
    expect(calls.many).toBe(0);
    await clock.advance(1);
    expect(calls.many).toBe(1);
    await clock.advance(3_000);
    expect(calls.many).toBe(2);
    await tracker.stop();
    await clock.advance(30_000);
    expect(calls.many).toBe(2);
    for (let i = 0; i < 500; i++) tracker.track(makeJob({ id: `x${i}`, taskId: `x${i}` }));
    expect(tracker.interval()).toBe(3_000); // 11 batches fit the request rate: every job still read every 3 s
    for (let i = 500; i < 4_999; i++) tracker.track(makeJob({ id: `x${i}`, taskId: `x${i}` }));
    expect(tracker.interval()).toBe(5_000); // 5,000 jobs = 100 batches, at 20 requests/s at most
  });

  it('has at most one request in flight, and leaves out jobs finished meanwhile (a callback)', async () => {
    const tasks = new Map<string, MjTask>();
    const jobs: Job[] = [];
    for (let i = 0; i < 6; i++) {
      if (i !== 1) tasks.set(`t${i}`, makeTask({ id: `t${i}`, progress: '5%' })); // t1: not listed → fetched
      jobs.push(makeJob({ id: `j${i}`, taskId: `t${i}` }));
    }
    const clock = new FakeClock();
    let inFlight = 0;
    let most = 0;
    const asked: string[][] = [];
    const slow = async <T>(value: T): Promise<T> => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await clock.sleep(100);
      inFlight -= 1;
      return value;
    };
    const store = memoryStore();
    const tracker = new Tracker({
      reader: {
        fetchMany: (ids) => {
          asked.push(ids);
          return slow(ids.flatMap((id) => (tasks.has(id) ? [tasks.get(id) as MjTask] : [])));
        },
        fetch: (id) => slow(tasks.get(id) ?? null),
      },
      store,
      clock,
      logger: silentLogger,
      events: new LocalJobEvents(silentLogger),
      baseIntervalMs: 3_000,
      batchSize: 2,
      random: () => 0.5,
    });
    for (const job of jobs) {
      await store.save(job);
      tracker.track(job);
    }
    const tick = tracker.pollNow();
    await clock.advance(50); // first batch under way: a callback finishes j4
    await tracker.applyTask('j4', makeTask({ id: 't4', status: 'SUCCESS', progress: '100%' }));
    await drive(clock, tick, 50);
    expect(most).toBe(1);
    expect(asked).toEqual([['t0', 't1'], ['t2', 't3'], ['t5']]);
    expect(tracker.has('j4')).toBe(false);
  });

  it('never moves a final job again (late or out-of-order answers)', async () => {
    const tasks = new Map([['t1', makeTask({ id: 't1', status: 'SUCCESS', progress: '100%' })]]);
    const { tracker, changes } = await setup([makeJob({ id: 'a', taskId: 't1' })], tasks);
    await tracker.pollNow();
    expect(changes).toHaveLength(1);
    const late = await tracker.applyTask('a', makeTask({ id: 't1', status: 'IN_PROGRESS', progress: '60%' }));
    expect(late).toBeNull();
    expect(changes).toHaveLength(1);
  });
});
