import { afterEach, describe, expect, it } from 'vitest';
import { alice, bob, Harness } from '../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('/info', () => {
  it('lists running and waiting jobs with links, today’s usage and quota left, and the mode', async () => {
    h = await Harness.start({ env: { MAX_CONCURRENT_PER_USER: '1', DAILY_QUOTA: '10' } });
    await h.bot.ctx.prefs.set(alice.id, { mode: 'relax', botType: 'NIJI_JOURNEY' });
    const running = await (await h.imagine('a running job')).message();
    await h.submitted(1);
    h.sim.start(h.sim.lastTaskId());
    h.sim.progress(h.sim.lastTaskId(), 40);
    await h.poll();
    const waiting = await (await h.imagine('a waiting job')).message();
    await (await h.imagine('someone else', bob)).message();
    await h.settle();

    const res = await h.run('info').response;
    expect(res.type).toBe(4);
    expect(res.data.flags & 64).toBe(64);
    const text: string = res.data.content;
    expect(text).toContain('**Mode:** relaxed · **Bot:** Niji');
    expect(text).toMatch(/\*\*Jobs today:\*\* 2 of 10 \(8 left\), renews <t:\d+:R>/);
    expect(text).toContain('**Running (1)**');
    expect(text).toContain(`[a running job](https://discord.com/channels/`);
    expect(text).toContain(`/${running.id}) — 40% relaxed`);
    expect(text).toContain('**Waiting (1)**');
    expect(text).toContain(`/${waiting.id}) — position #1`);
    expect(text).not.toContain('someone else');
  });

  it('says when nothing runs, and when there is no daily limit', async () => {
    h = await Harness.start();
    const text: string = (await h.run('info', bob).response).data.content;
    expect(text).toContain('**Jobs today:** 0 (no daily limit)');
    expect(text).toContain('No jobs running or waiting.');
    expect(text).toContain('**Mode:** fast · **Bot:** Midjourney');
  });

  it('server managers see that they have no daily limit', async () => {
    h = await Harness.start({ env: { DAILY_QUOTA: '3' } });
    const text: string = (await h.run('info', alice, { memberPermissions: '32' }).response).data.content;
    expect(text).toContain('(server managers have no daily limit)');
  });
});
