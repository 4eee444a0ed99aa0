import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MjSimulator } from '../../emulators/midjourney/index.js';
import { clientFor, DATA_URL, expectMjError } from './helpers.js';

let sim: MjSimulator;
beforeEach(async () => {
  sim = await MjSimulator.start();
});
afterEach(async () => {
  await sim.close();
});

describe('MjClient submits: accepted outcomes', () => {
  it('code 1: returns the task id; default mode prefix, Bearer header, body without mode', async () => {
    const res = await clientFor(sim).imagine({ prompt: 'a red fox', botType: 'NIJI_JOURNEY', state: 's1' });
    expect(res).toEqual({
      kind: 'accepted',
      taskId: sim.lastTaskId(),
      code: 1,
      description: '提交成功',
      queuePosition: null,
    });
    const [req] = sim.submits('imagine');
    expect(req?.path).toBe('/mj-fast/mj/submit/imagine');
    expect(req?.mode).toBe('fast');
    expect(req?.authorization).toBe('Bearer test-key');
    expect(req?.body).toEqual({ prompt: 'a red fox', botType: 'NIJI_JOURNEY', state: 's1' });
    expect(sim.task(sim.lastTaskId()).botType).toBe('NIJI_JOURNEY');
  });

  it('a per-request mode overrides the default path prefix and is not sent in the body', async () => {
    const client = clientFor(sim, { baseUrl: `${sim.baseUrl}/`, mode: 'relax' });
    await client.imagine({ prompt: 'cat' });
    await client.imagine({ prompt: 'cat', mode: 'turbo' });
    expect(sim.submits().map((r) => r.path)).toEqual([
      '/mj-relax/mj/submit/imagine',
      '/mj-turbo/mj/submit/imagine',
    ]);
    expect(sim.submits()[1]?.body).toEqual({ prompt: 'cat' });
  });

  it('code 22: accepted with the queue position', async () => {
    sim.nextSubmit({ code: 22, queue: 3 });
    const res = await clientFor(sim).imagine({ prompt: 'cat' });
    expect(res).toMatchObject({ kind: 'accepted', code: 22, queuePosition: 3, taskId: sim.lastTaskId() });
    expect(res.description).toBe('排队中，前面还有3个任务');
  });

  it('code 21: modal with the prompt to edit', async () => {
    sim.nextSubmit({ code: 21, finalPrompt: 'edit me --ar 3:2' });
    const res = await clientFor(sim).imagine({ prompt: 'cat' });
    expect(res).toEqual({
      kind: 'modal',
      taskId: sim.lastTaskId(),
      code: 21,
      description: 'Waiting for window confirm',
      finalPrompt: 'edit me --ar 3:2',
    });
    expect(sim.task(sim.lastTaskId()).status).toBe('MODAL');
  });

  it('every submit endpoint is reachable', async () => {
    const client = clientFor(sim);
    await client.blend({ base64Array: [DATA_URL, DATA_URL], dimensions: 'PORTRAIT' });
    await client.describe({ base64: DATA_URL });
    await client.describe({ link: 'https://example.com/cat.png' });
    await client.shorten({ prompt: 'a very long prompt about cats' });
    expect(sim.submits().map((r) => r.endpoint)).toEqual([
      'submit/blend',
      'submit/describe',
      'submit/describe',
      'submit/shorten',
    ]);
    expect([...sim.tasks.values()].map((t) => t.action)).toEqual([
      'BLEND',
      'DESCRIBE',
      'DESCRIBE',
      'SHORTEN',
    ]);
  });
});

describe('MjClient submits: error codes', () => {
  it('code 24 → banned with the banned word', async () => {
    sim.nextSubmit({ code: 24, bannedWord: 'nude' });
    const err = await expectMjError(clientFor(sim).imagine({ prompt: 'x' }), 'banned');
    expect(err).toMatchObject({
      code: 24,
      bannedWord: 'nude',
      description: '可能包含敏感词',
      retryable: false,
    });
  });

  it('code 23 → queue_full (retryable)', async () => {
    sim.nextSubmit({ code: 23 });
    const err = await expectMjError(clientFor(sim).imagine({ prompt: 'x' }), 'queue_full');
    expect(err).toMatchObject({ code: 23, retryable: true });
  });

  it('code 9 saying the queue is full → queue_full; other code 9 → rejected', async () => {
    sim.nextSubmit({ code: 9, description: '提交失败，队列已满，请稍后重试' });
    await expectMjError(clientFor(sim).imagine({ prompt: 'x' }), 'queue_full');
    sim.nextSubmit({ code: 9, description: '提交失败，系统异常' });
    const err = await expectMjError(clientFor(sim).imagine({ prompt: 'x' }), 'rejected');
    expect(err).toMatchObject({ code: 9, description: '提交失败，系统异常' });
  });

  it('code 4 → rejected with the upstream description', async () => {
    sim.nextSubmit({ code: 4, description: '用户今日绘图次数已达上限' });
    const err = await expectMjError(clientFor(sim).imagine({ prompt: 'x' }), 'rejected');
    expect(err).toMatchObject({ code: 4, httpStatus: 200, description: '用户今日绘图次数已达上限' });
    expect(err.message).toContain('用户今日绘图次数已达上限');
  });

  it('code 3 (HTTP 404) → not_found', async () => {
    sim.nextSubmit({ code: 3, description: '无可用的账号实例' });
    const err = await expectMjError(clientFor(sim).imagine({ prompt: 'x' }), 'not_found');
    expect(err).toMatchObject({ code: 3, httpStatus: 404, description: '无可用的账号实例' });
  });

  it('{success:false, message} → rejected with the message', async () => {
    sim.nextSubmit({ successFalse: '禁止上传' });
    const err = await expectMjError(clientFor(sim).blend({ base64Array: [DATA_URL, DATA_URL] }), 'rejected');
    expect(err.description).toBe('禁止上传');
  });

  it('aggregator upstream_error → rejected; unknown_action → unsupported', async () => {
    sim.nextSubmit({ aggregatorError: { code: 4, description: 'quota_not_enough ' } });
    const err = await expectMjError(clientFor(sim).imagine({ prompt: 'x' }), 'rejected');
    expect(err).toMatchObject({ code: 4, httpStatus: 400, description: 'quota_not_enough' });
    sim.nextSubmit({ aggregatorError: { code: 4, description: 'unknown_action:MJ::BOOKMARK::abc ' } });
    await expectMjError(clientFor(sim).action({ taskId: '1', customId: 'MJ::BOOKMARK::abc' }), 'unsupported');
  });

  it('the simulator validates like the real thing', async () => {
    const client = clientFor(sim);
    const blank = await expectMjError(client.imagine({ prompt: '   ' }), 'rejected');
    expect(blank).toMatchObject({ code: 4, description: 'prompt不能为空' });
    const badB64 = await expectMjError(client.imagine({ prompt: 'x', base64Array: ['iVBOR'] }), 'rejected');
    expect(badB64.description).toBe('base64格式错误');
    await expectMjError(client.blend({ base64Array: [DATA_URL] }), 'rejected');
    await expectMjError(client.blend({ base64Array: Array(6).fill(DATA_URL) }), 'rejected');
    await expectMjError(client.describe({}), 'rejected');
    await expectMjError(client.describe({ base64: 'not-a-data-url' }), 'rejected');
    expect(sim.tasks.size).toBe(0);
  });

  it('429 → unavailable; 404 on a submit path → unsupported', async () => {
    sim.fault(
      { endpoint: 'submit/imagine' },
      { http: 429, body: 'Too Many Requests', contentType: 'text/plain' },
    );
    const err = await expectMjError(clientFor(sim).imagine({ prompt: 'x' }), 'unavailable');
    expect(err).toMatchObject({ httpStatus: 429, description: 'Too Many Requests', retryable: true });
    sim.fault({ endpoint: 'submit/shorten' }, { http: 404, body: '' });
    await expectMjError(clientFor(sim).shorten({ prompt: 'x' }), 'unsupported');
  });
});
