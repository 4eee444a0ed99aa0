import { afterEach, describe, expect, it } from 'vitest';
import type { SubmitScript } from '../../emulators/midjourney/index.js';
import { Harness, labelsOf } from '../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('refused submits: a clear message, Retry only where it can help, nothing tracked', () => {
  it.each<[string, SubmitScript, string, string[]]>([
    ['code 24 (banned word)', { code: 24, bannedWord: 'gore' }, 'contains a banned word: **gore**', []],
    [
      'code 23 (queue full)',
      { code: 23 },
      'The Midjourney queue is full. Try again in a few minutes.',
      ['Retry'],
    ],
    [
      'code 4 (validation)',
      { code: 4, description: '用户今日绘图次数已达上限' },
      'Midjourney refused the request.\n> 用户今日绘图次数已达上限',
      [],
    ],
    [
      'TA {success:false} queue full',
      { successFalse: '提交失败，队列已满，请稍后重试' },
      'queue is full',
      ['Retry'],
    ],
    [
      'aggregator upstream_error',
      { aggregatorError: { code: 4, description: 'quota_not_enough' } },
      'Midjourney refused the request.\n> quota_not_enough',
      [],
    ],
  ])('%s', async (_name, script, text, buttons) => {
    h = await Harness.start();
    h.sim.nextSubmit(script);
    const msg = await (await h.imagine('a prompt with gore in it')).message();
    await h.submitFailed();
    await h.waitFor((m) => m.id === msg.id && m.content.includes('(Failed)'));
    expect(msg.content).toContain(text);
    expect(labelsOf(msg)).toEqual(buttons);
    expect(h.bot.tracker.size).toBe(0);
    await h.poll();
    expect(h.sim.submits()).toHaveLength(1);
  });
});

describe('tasks that fail upstream', () => {
  it.each([
    [
      'AI moderation (English)',
      '[Banned prompt detected] Sorry! Our AI moderator thinks this prompt is probably against our community standards.',
      "Midjourney's moderation stopped this prompt. Rephrase it and try again.",
    ],
    ['moderation (Chinese)', '可能包含敏感词', "Midjourney's moderation stopped this prompt."],
    ['an internal error', 'Internal server error, please retry', 'Midjourney could not complete the job.'],
  ])('FAILURE with %s: the reason is quoted, explained, with Retry', async (_name, reason, why) => {
    h = await Harness.start();
    const msg = await (await h.imagine('a castle at night')).message();
    await h.submitted();
    const task = h.sim.lastTaskId();
    h.sim.start(task);
    h.sim.progress(task, 40);
    await h.poll();
    h.sim.fail(task, reason);
    await h.poll();
    expect(msg.content).toContain('(Failed)');
    expect(msg.content).toContain(why);
    expect(msg.content).toContain(`> ${reason}`);
    expect(labelsOf(msg)).toEqual(['Retry']);
    expect(h.bot.tracker.size).toBe(0);
  });

  it("the aggregator's forced failure after an hour is explained, with Retry", async () => {
    h = await Harness.start({ sim: { aggregator: true } });
    const msg = await (await h.imagine('a very slow job')).message();
    await h.submitted();
    const task = h.sim.lastTaskId();
    h.sim.start(task);
    h.sim.progress(task, 99);
    await h.poll();
    h.sim.fail(task, '上游任务超时（超过1小时）');
    await h.poll();
    expect(msg.content).toContain('Midjourney gave up on this job because it took too long. Try again.');
    expect(msg.content).toContain('> 上游任务超时（超过1小时）');
    expect(labelsOf(msg)).toEqual(['Retry']);
  });

  it('a task the upstream forgot ends, after a few polls, with an explanation and Retry (and no Check)', async () => {
    h = await Harness.start();
    const msg = await (await h.imagine('a job the upstream loses')).message();
    await h.submitted();
    h.sim.forget(h.sim.lastTaskId());
    await h.poll();
    await h.poll();
    expect(msg.content).toContain('(Waiting to start)');
    await h.poll();
    expect(msg.content).toContain('Midjourney no longer knows this job; it may have expired.');
    expect(labelsOf(msg)).toEqual(['Retry']);
  });

  it('in Chinese, the explanation and the button are in Chinese', async () => {
    h = await Harness.start();
    const msg = await (
      await h.imagine('一只猫', { id: '300000000000000009', username: 'mei', locale: 'zh-CN' })
    ).message();
    await h.submitted();
    h.sim.fail(h.sim.lastTaskId(), '可能包含敏感词');
    await h.poll();
    expect(msg.content).toContain('Midjourney 的审核拦下了这个提示词');
    expect(labelsOf(msg)).toEqual(['重试']);
  });
});
