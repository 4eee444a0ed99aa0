import { describe, expect, it } from 'vitest';
import { applyTask } from '../../src/jobs/lifecycle.js';
import { snapshotOf } from '../../src/jobs/snapshot.js';
import { statusSuffix } from '../../src/render/content.js';
import type { MjTask } from '../../src/upstream/types.js';
import { makeJob } from '../support/jobs.js';

const task = (patch: Partial<MjTask>): MjTask =>
  ({
    id: '1000',
    action: 'IMAGINE',
    status: 'NOT_START',
    progress: null,
    imageUrl: null,
    failReason: null,
    description: '/imagine fox',
    properties: {},
    buttons: [],
    ...patch,
  }) as MjTask;

describe("Midjourney's own queue", () => {
  it('reads the tasks ahead from numberOfQueues or the queue text, only while the task waits', () => {
    expect(snapshotOf(task({ properties: { numberOfQueues: 2 } })).queuePosition).toBe(2);
    expect(snapshotOf(task({ description: '排队中，前面还有4个任务' })).queuePosition).toBe(4);
    expect(snapshotOf(task({})).queuePosition).toBeNull();
    expect(
      snapshotOf(task({ status: 'SUBMITTED', properties: { numberOfQueues: 2 } })).queuePosition,
    ).toBeNull();
  });

  it('keeps the known position through reads that say nothing, drops it once the task left the queue', () => {
    const queued = makeJob({ task: { ...snapshotOf(task({})), queuePosition: 2 } });
    expect(applyTask(queued, task({}), 1)).toBeNull(); // nothing a user would see changed
    const moved = applyTask(queued, task({ properties: { numberOfQueues: 0 } }), 1);
    expect(moved?.task?.queuePosition).toBe(0);
    const started = applyTask(queued, task({ status: 'SUBMITTED', progress: '0%' }), 2);
    expect(started?.task?.queuePosition).toBeNull();
  });

  it('shows the position (ahead + 1) apart from the local queue, in both languages', () => {
    const job = makeJob({ task: { ...snapshotOf(task({})), queuePosition: 2 } });
    expect(statusSuffix(job, false)).toBe("(In Midjourney's queue, position 3)");
    expect(statusSuffix({ ...job, locale: 'zh-CN' }, false)).toBe('(Midjourney 排队中，第 3 位)');
    expect(statusSuffix(makeJob({ phase: 'queued', waitingPosition: 2 }), false)).toBe(
      '(Waiting in position #2)',
    );
    expect(statusSuffix(makeJob({ task: snapshotOf(task({})) }), false)).toBe('(Waiting to start)');
  });

  it('a cancelled job reads as cancelled, any other failure as failed', () => {
    const cancelled = makeJob({ phase: 'failed', failure: { kind: 'cancelled' } });
    expect(statusSuffix(cancelled, false)).toBe('(Cancelled)');
    expect(statusSuffix({ ...cancelled, locale: 'zh-CN' }, false)).toBe('(已取消)');
    expect(statusSuffix(makeJob({ phase: 'failed', failure: { kind: 'deadline' } }), false)).toBe('(Failed)');
  });
});
