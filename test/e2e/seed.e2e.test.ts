import { afterEach, describe, expect, it } from 'vitest';
import { click, finishedGrid, nextSubmit, png } from '../support/flows.js';
import { alice, bob, customIdOf, finishTask, Harness, labelsOf } from '../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('🌱 seed', () => {
  it('shows the seed of a finished image to the presser only, from /mj/task/{id}/image-seed', async () => {
    h = await Harness.start();
    const { grid, taskId } = await finishedGrid(h);
    expect(labelsOf(grid)).toContain('🌱');
    const press = click(h, grid, '🌱');
    const answer = await press.response;
    expect(answer.type).toBe(5);
    expect(answer.data.flags & 64).toBe(64);
    const reply = await press.message();
    const seed = h.sim.task(taskId).seed;
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toBe(
      `🌱 Seed of this job: **${seed}**. Add \`--seed ${seed}\` to a prompt to start from the same noise.`,
    );
    expect(h.sim.requests.some((r) => r.endpoint === 'task/image-seed' && r.taskId === taskId)).toBe(true);
    expect(h.sim.submits()).toHaveLength(1); // reading a seed submits nothing
  });

  it('says so plainly where the upstream has no image-seed endpoint', async () => {
    h = await Harness.start({ sim: { imageSeed: false } });
    const { grid } = await finishedGrid(h);
    const reply = await click(h, grid, '🌱').message();
    expect(reply.content).toBe('This Midjourney service does not tell seeds.');
    await h.waitForLog('no seed to show', { reason: 'seed.unsupported' });
  });

  it('answers in Chinese, and is refused to someone else', async () => {
    h = await Harness.start();
    const { grid } = await finishedGrid(h);
    const zh = h.discord.clickButton({
      messageId: grid.id,
      customId: customIdOf(grid, '🌱'),
      user: alice,
      locale: 'zh-CN',
    });
    expect((await zh.message()).content).toContain('这个任务的种子');
    const theirs = await click(h, grid, '🌱', bob).response;
    expect(theirs.type).toBe(4);
    expect(theirs.data.content).toContain(`<@${alice.id}>`);
  });

  it('is not offered under a describe result', async () => {
    h = await Harness.start();
    const submitted = nextSubmit(h);
    const msg = await h.run('describe', alice, { attachments: [png('image')] }).message();
    await submitted;
    await finishTask(h);
    expect(labelsOf(msg)).not.toContain('🌱');
  });
});
