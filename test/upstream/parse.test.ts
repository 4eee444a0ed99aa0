import { describe, expect, it } from 'vitest';
import {
  classifyFailure,
  errorFromBody,
  interpretSubmit,
  type RawResponse,
} from '../../src/upstream/envelope.js';
import { normalizeTask, normalizeTaskList } from '../../src/upstream/parse.js';
import { backoffDelay } from '../../src/upstream/retry.js';

const ctx = { endpoint: 'submit/imagine', secret: 'sk-key' };
const json = (status: number, body: unknown): RawResponse => ({
  status,
  contentType: 'application/json',
  text: JSON.stringify(body),
});

describe('normalizeTask', () => {
  it('fills defaults for missing fields and keeps progress as given', () => {
    expect(normalizeTask({ id: '1', progress: '45%', submitTime: null, buttons: [{ bad: true }] })).toEqual({
      id: '1',
      action: '',
      status: '',
      prompt: null,
      promptEn: null,
      description: null,
      imageUrl: null,
      progress: '45%',
      failReason: null,
      submitTime: null,
      startTime: null,
      finishTime: null,
      buttons: [],
      properties: {},
    });
  });

  it('accepts numeric ids, numeric progress and partial buttons; keeps mode when present', () => {
    const t = normalizeTask({
      id: 1747972390541812,
      progress: 30,
      startTime: '1747972392478',
      mode: 'RELAX',
      buttons: [{ customId: 'MJ::JOB::upsample::1::h', label: 'U1' }],
    });
    expect(t).toMatchObject({
      id: '1747972390541812',
      progress: '30%',
      startTime: 1747972392478,
      mode: 'RELAX',
    });
    expect(t?.buttons).toEqual([
      { customId: 'MJ::JOB::upsample::1::h', label: 'U1', emoji: '', style: 2, type: 2 },
    ]);
  });

  it('rejects non-objects and id-less objects unless a fallback id is given', () => {
    expect(normalizeTask(null)).toBeNull();
    expect(normalizeTask([])).toBeNull();
    expect(normalizeTask({ status: 'SUCCESS' })).toBeNull();
    expect(normalizeTask({ status: 'SUCCESS' }, '9')?.id).toBe('9');
    expect(normalizeTaskList({})).toBeNull();
  });
});

describe('envelope mapping', () => {
  it('maps the error shapes', () => {
    expect(errorFromBody({ code: 1, result: '1' }, 200, ctx)).toBeNull();
    expect(
      errorFromBody({ code: 24, description: 'x', properties: { bannedWord: 'nude' } }, 200, ctx),
    ).toMatchObject({
      kind: 'banned',
      bannedWord: 'nude',
    });
    expect(errorFromBody({ success: false, code: -1, message: '并发数已达上限' }, 200, ctx)?.kind).toBe(
      'rejected',
    );
    expect(errorFromBody({ success: false, message: '队列数已达上限' }, 200, ctx)?.kind).toBe('queue_full');
    const agg = { type: 'upstream_error', code: 4, description: 'task_not_found ' };
    expect(errorFromBody(agg, 400, ctx)?.kind).toBe('not_found');
  });

  it('classifies by status before body, and submits vs reads', () => {
    const html = { status: 502, contentType: 'text/html', text: '<html>bad gateway</html>' };
    expect(classifyFailure(html, 'submit', ctx).kind).toBe('unknown_outcome');
    expect(classifyFailure(html, 'read', ctx).kind).toBe('unavailable');
    expect(classifyFailure(json(403, { code: 4, description: 'no' }), 'read', ctx).kind).toBe('auth');
    expect(
      classifyFailure({ status: 413, contentType: 'text/plain', text: 'too big' }, 'submit', ctx),
    ).toMatchObject({
      kind: 'rejected',
      description: 'too big',
    });
  });

  it('redacts the key from upstream text', () => {
    const err = classifyFailure(json(200, { code: 4, description: 'bad key sk-key' }), 'submit', ctx);
    expect(err.description).toBe('bad key ***');
  });

  it('accepts numeric task ids and reads queuePosition', () => {
    const res = interpretSubmit(json(200, { code: 22, result: 17, properties: { numberOfQueues: 2 } }), ctx);
    expect(res).toEqual({ kind: 'accepted', taskId: '17', code: 22, description: '', queuePosition: 2 });
  });
});

describe('backoffDelay', () => {
  it('grows exponentially up to the cap, scaled by the jitter', () => {
    const p = { baseMs: 500, maxMs: 3000, random: () => 1 };
    expect([0, 1, 2, 3, 4].map((n) => backoffDelay(n, p))).toEqual([500, 1000, 2000, 3000, 3000]);
    expect(backoffDelay(2, { ...p, random: () => 0.25 })).toBe(500);
  });
});
