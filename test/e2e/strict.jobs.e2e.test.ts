/**
 * Job behaviours no other test pinned: the quota kept on an unknown outcome (and given back on a refusal), a
 * job paused in MODAL across a restart, and the upstream's CANCEL status.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { click, finishedGrid, nextSubmit } from '../support/flows.js';
import { alice, finishTask, Harness } from '../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('the daily quota and a submit without a clear answer', () => {
  it('an unknown outcome keeps its unit spent (the upstream may run it); a refusal gives it back', async () => {
    h = await Harness.start({ env: { DAILY_QUOTA: '1' } });
    h.sim.nextSubmit({ code: 24, bannedWord: 'gore' });
    await (await h.imagine('some gore')).message();
    await h.submitFailed();
    h.sim.nextSubmit({ destroy: true }); // the connection drops once the submit was read
    await (await h.imagine('a lighthouse at dusk')).message();
    await h.submitFailed('unknown_outcome');
    const third = await (await h.imagine('one more')).response;
    expect(third.type).toBe(4);
    expect(third.data.content).toContain('daily quota of jobs (1) is used up');
    expect(h.sim.submits('imagine')).toHaveLength(2);
  });
});

describe('a job paused in MODAL', () => {
  it('still waits for its pop-up after a restart, and the pop-up sends the edited prompt', async () => {
    h = await Harness.start();
    const { grid } = await finishedGrid(h);
    h.sim.nextSubmit({ code: 21, finalPrompt: 'a red fox in the snow --v 6.1' });
    const submitted = nextSubmit(h);
    const child = await click(h, grid, 'V1').message();
    await submitted;
    const taskId = h.sim.lastTaskId();
    await h.restart();
    const open = await click(h, child, 'Edit prompt').response;
    expect(open.type).toBe(9);
    const resumed = nextSubmit(h);
    const sent = h.discord.submitModal({
      customId: open.data.custom_id,
      fields: { prompt: 'a red fox at night --v 6.1' },
      user: alice,
      messageId: child.id,
    });
    expect((await sent.response).type).toBe(6);
    await resumed;
    expect(h.sim.submits('modal')[0]?.body).toMatchObject({ taskId, prompt: 'a red fox at night --v 6.1' });
    await finishTask(h);
    expect(child.content).toContain('**a red fox at night --v 6.1**');
  });
});

describe('the upstream CANCEL status', () => {
  it('ends the job: no longer tracked, its message no longer shows progress', async () => {
    h = await Harness.start();
    const msg = await (await h.imagine('a job cancelled upstream')).message();
    await h.submitted();
    const task = h.sim.lastTaskId();
    h.sim.start(task);
    h.sim.progress(task, 30);
    await h.poll();
    expect(msg.content).toContain('(30%)');
    h.sim.task(task).status = 'CANCEL';
    await h.poll();
    const failed = await h.waitForEvent((e) => e.type === 'failed' && e.job.taskId === task);
    expect(failed.job.phase).toBe('failed');
    expect(h.bot.tracker.size).toBe(0);
    expect(msg.content).not.toContain('%)');
  });
});
