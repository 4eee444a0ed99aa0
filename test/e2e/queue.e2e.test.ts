import { afterEach, describe, expect, it } from 'vitest';
import { alice, bob, buttonsOf, finishTask, Harness } from '../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const emojis = (m: { components: unknown[] }) => buttonsOf(m as never).map((b) => b.emoji);

describe('the local queue', () => {
  it('past the per-user limit a job waits with its position shown, kept current as slots free', async () => {
    h = await Harness.start({ env: { MAX_CONCURRENT_PER_USER: '1' } });
    const first = await (await h.imagine('first')).message();
    await h.submitted(1);
    const second = await (await h.imagine('second')).message();
    const third = await (await h.imagine('third')).message();
    expect(second.content).toBe(`**second** - <@${alice.id}> (Waiting in position #1)`);
    expect(third.content).toBe(`**third** - <@${alice.id}> (Waiting in position #2)`);
    expect(emojis(third)).toEqual(['❌']);
    expect(h.sim.submits('imagine')).toHaveLength(1);
    await h.waitForLog('job waits in the local queue', { position: 2 });

    // The first finishes: the second is sent, the third moves up.
    await finishTask(h, 1);
    expect(first.attachments).toHaveLength(1);
    await h.submitted(2);
    await h.settle();
    expect(h.sim.submits('imagine').map((s) => (s.body as { prompt: string }).prompt)).toEqual([
      'first',
      'second',
    ]);
    expect(second.content).toBe(`**second** - <@${alice.id}> (Waiting to start)`);
    expect(third.content).toBe(`**third** - <@${alice.id}> (Waiting in position #1)`);
    expect(third.history.map((s) => s.content.match(/position #(\d)/)?.[1]).filter(Boolean)).toEqual([
      '2',
      '1',
    ]);

    await finishTask(h, 2);
    await h.submitted(3);
    await finishTask(h, 3);
    expect(third.attachments).toHaveLength(1);
  });

  it('another user is not held up by someone at their limit', async () => {
    h = await Harness.start({ env: { MAX_CONCURRENT_PER_USER: '1' } });
    await h.imagine('alice one');
    await h.submitted(1);
    const waiting = await (await h.imagine('alice two')).message();
    expect(waiting.content).toContain('Waiting in position #1');
    const theirs = await (await h.imagine('bob one', bob)).message();
    await h.submitted(2);
    expect(theirs.content).toContain('(Waiting to start)');
  });

  it('the per-server cap queues jobs of the server; DMs are not held to it', async () => {
    h = await Harness.start({ env: { MAX_CONCURRENT_PER_GUILD: '1' } });
    await h.imagine('alice one');
    await h.submitted(1);
    const alices = h.sim.lastTaskId();
    const bobs = await (await h.imagine('bob one', bob)).message();
    expect(bobs.content).toContain('Waiting in position #1');
    const inDm = await (await h.imagine('bob in a DM', bob, { dm: true })).message();
    await h.submitted(2);
    expect(inDm.content).toContain('(Waiting to start)');
    h.sim.succeed(alices);
    await h.poll();
    await h.submitted(3);
    expect(h.sim.submits('imagine').at(-1)?.body).toMatchObject({ prompt: 'bob one' });
  });

  it('past the queue cap the request is refused with a clear message, and nothing is left behind', async () => {
    h = await Harness.start({ env: { MAX_CONCURRENT_PER_USER: '1', MAX_QUEUED_PER_USER: '1' } });
    await h.imagine('one');
    await h.submitted(1);
    await (await h.imagine('two')).message();
    const handle = h.run('imagine', alice, { options: [{ name: 'prompt', type: 3, value: 'three' }] });
    const res = await handle.response;
    expect(res.type).toBe(4);
    expect(res.data.flags & 64).toBe(64);
    expect(res.data.content).toBe(
      'Too many of your jobs are waiting (at most 1). Wait for one to start, or cancel one with ❌, then try again.',
    );
    expect([...h.discord.messages.values()].filter((m) => m.content.includes('three'))).toHaveLength(0);
  });

  it('the queue survives a restart: positions stay, and the waiting job is sent when a slot frees', async () => {
    h = await Harness.start({ env: { MAX_CONCURRENT_PER_USER: '1' } });
    const first = await (await h.imagine('first')).message();
    await h.submitted(1);
    const taskId = h.sim.lastTaskId();
    const second = await (await h.imagine('second')).message();
    const third = await (await h.imagine('third')).message();

    await h.restart();
    expect(await h.waitForLog('resumed active jobs', {}, 2)).toMatchObject({ tracked: 1, queued: 2 });
    await h.settle();
    expect(second.content).toContain('Waiting in position #1');
    expect(third.content).toContain('Waiting in position #2');
    expect(h.sim.submits('imagine')).toHaveLength(1);

    h.sim.start(taskId);
    h.sim.succeed(taskId);
    await h.poll();
    expect(first.attachments).toHaveLength(1);
    await h.submitted(2);
    await h.settle();
    // Sent after the restart from its record (its submit was not kept across the restart).
    expect(h.sim.submits('imagine')[1]?.body).toMatchObject({ prompt: 'second' });
    await h.waitForEvent((e) => e.type === 'released');
    expect(third.content).toContain('Waiting in position #1');
    await finishTask(h, 2);
    expect(second.attachments).toHaveLength(1);
  });
});
