import { afterEach, describe, expect, it } from 'vitest';
import { finishedGrid, nextSubmit, str } from '../support/flows.js';
import { alice, bob, customIdOf, GRID_LABELS, GUILD, Harness, labelsOf } from '../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const MANAGER = '32';

async function jobOf(messageId: string) {
  const job = await h!.bot.ctx.store.byMessage(messageId);
  if (!job) throw new Error('no job for the message');
  return job;
}

describe('/show', () => {
  it('re-posts the requester’s own job with its result and working buttons; the original still edits', async () => {
    h = await Harness.start();
    const { grid } = await finishedGrid(h, 'a red fox');
    const job = await jobOf(grid.id);
    const handle = h.run('show', alice, { options: [str('job', job.id)] });
    expect((await handle.response).type).toBe(4);
    const copy = await handle.message();
    expect(copy.id).not.toBe(grid.id);
    expect(copy.content).toBe(grid.content);
    expect(labelsOf(copy)).toEqual(GRID_LABELS);
    expect(customIdOf(copy, 'U1')).toBe(customIdOf(grid, 'U1'));

    // A button of the copy starts the child job like the original's would.
    const submitted = nextSubmit(h);
    await h.discord
      .clickButton({ messageId: copy.id, customId: customIdOf(copy, 'U1'), user: alice })
      .message();
    await submitted;
    expect(h.sim.submits('action')).toHaveLength(1);
    // The job's message is still the original.
    expect((await h.bot.ctx.store.get(job.id))?.message.messageId).toBe(grid.id);

    // A link to the message and the task id (the footer) name it too.
    const link = `https://discord.com/channels/${GUILD}/${grid.channelId}/${grid.id}`;
    for (const input of [link, job.taskId ?? '']) {
      const again = await h.run('show', alice, { options: [str('job', input)] }).message();
      expect(again.content).toBe(grid.content);
    }
  });

  it("refuses someone else's job, but a server manager may show it", async () => {
    h = await Harness.start();
    const { grid } = await finishedGrid(h, 'alice only');
    const job = await jobOf(grid.id);
    const refused = await h.run('show', bob, { options: [str('job', job.id)] }).response;
    expect(refused.data.flags & 64).toBe(64);
    expect(refused.data.content).toBe(
      `This job is <@${alice.id}>'s. Only its requester, or someone with Manage Server in its server, can show it.`,
    );
    const manager = h.run('show', bob, { options: [str('job', job.id)], memberPermissions: MANAGER });
    expect((await manager.message()).content).toBe(grid.content);
  });

  it('says so when the job record is gone or the input names nothing', async () => {
    h = await Harness.start();
    const gone = await h.run('show', alice, { options: [str('job', 'abcdefghijkl')] }).response;
    expect(gone.data.content).toBe(
      'No job abcdefghijkl is known here: its record is gone, or the id is wrong.',
    );
    const bad = await h.run('show', alice, { options: [str('job', 'not a job!')] }).response;
    expect(bad.data.content).toBe('Give a job id (the footer of a job message) or a link to a job message.');
    const zh = await h.run('show', { ...alice, locale: 'zh-CN' }, { options: [str('job', 'abcdefghijkl')] })
      .response;
    expect(zh.data.content).toBe('找不到任务 abcdefghijkl：它的记录已不存在，或 ID 有误。');
  });

  it('autocompletes over the presser’s recent jobs by prompt, newest first', async () => {
    h = await Harness.start();
    await finishedGrid(h, 'a red fox');
    await finishedGrid(h, 'a blue whale');
    await finishedGrid(h, 'a red panda');
    await finishedGrid(h, "bob's cat", bob);
    const ask = async (value: string, user = alice) =>
      (
        await h!.discord.autocomplete({
          name: 'show',
          user,
          guildId: GUILD,
          options: [{ name: 'job', type: 3, value, focused: true }],
        }).response
      ).data.choices as Array<{ name: string; value: string }>;
    expect((await ask('')).map((c) => c.name)).toEqual(['a red panda', 'a blue whale', 'a red fox']);
    const red = await ask('RED');
    expect(red.map((c) => c.name)).toEqual(['a red panda', 'a red fox']);
    expect((await h.bot.ctx.store.get(red[0]?.value ?? ''))?.prompt).toBe('a red panda');
    expect((await ask('', bob)).map((c) => c.name)).toEqual(["bob's cat"]);
  });
});
