import { Writable } from 'node:stream';
import Keyv from 'keyv';
import { pino } from 'pino';
import { JobStore } from '../../src/jobs/store.js';
import type { Job, TaskSnapshot } from '../../src/jobs/types.js';
import { createLogger } from '../../src/log.js';
import type { MjTask } from '../../src/upstream/types.js';

/** A store over an in-memory keyv. */
export function memoryStore(): JobStore {
  return new JobStore(new Keyv());
}

export const silentLogger = pino({ level: 'silent' });

/** A logger whose lines (parsed JSON) land in `lines`. */
export function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ level: 'debug', secrets: [], destination }), lines };
}

/** What a job keeps of its task, in progress, with sensible defaults, for unit tests. */
export function makeSnapshot(patch: Partial<TaskSnapshot> = {}): TaskSnapshot {
  return {
    status: 'IN_PROGRESS',
    progress: 0,
    imageUrl: null,
    buttons: [],
    failReason: null,
    finalPrompt: null,
    promptEn: null,
    description: null,
    action: 'IMAGINE',
    mode: 'fast',
    finishTime: null,
    ...patch,
  };
}

/** A job record with sensible defaults, for unit tests. */
export function makeJob(patch: Partial<Job> = {}): Job {
  return {
    schemaVersion: 2,
    id: 'job1',
    kind: 'imagine',
    taskId: '1000',
    phase: 'tracking',
    prompt: 'a red fox in the snow',
    ownerId: '111111111111111111',
    locale: 'en-US',
    mode: 'fast',
    botType: null,
    message: {
      guildId: '222222222222222222',
      channelId: '333333333333333333',
      messageId: '444444444444444444',
      interaction: null,
    },
    parentJobId: null,
    actionLabel: null,
    parentMessageUrl: null,
    task: null,
    failure: null,
    imageCount: 0,
    createdAt: 0,
    updatedAt: 0,
    deadlineAt: Number.MAX_SAFE_INTEGER,
    lastProgressAt: 0,
    request: { kind: 'imagine', mode: 'fast', botType: null, prompt: 'a red fox in the snow', imageUrls: [] },
    ...patch,
  };
}

/** An upstream task with defaults. */
export function makeTask(patch: Partial<MjTask> & { id: string }): MjTask {
  return {
    action: 'IMAGINE',
    status: 'IN_PROGRESS',
    prompt: 'a red fox in the snow',
    promptEn: 'a red fox in the snow',
    description: '/imagine a red fox in the snow',
    imageUrl: null,
    progress: null,
    failReason: null,
    submitTime: null,
    startTime: null,
    finishTime: null,
    buttons: [],
    properties: {},
    ...patch,
  };
}
