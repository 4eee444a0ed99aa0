import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../support/fakeClock.js';
import { alice, Harness } from '../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const MANAGER = '32';
const prompt = (value: string) => [{ name: 'prompt', type: 3, value }];

describe('the daily quota', () => {
  it('runs out: the next request is refused ephemerally, saying when it renews; nothing is sent', async () => {
    const clock = new FakeClock(Date.UTC(2025, 5, 10, 20, 0));
    h = await Harness.start({ env: { DAILY_QUOTA: '2' }, bot: { clock } });
    await h.imagine('one');
    await h.imagine('two');
    await h.submitted(2);
    const res = await h.run('imagine', alice, { options: prompt('three') }).response;
    expect(res.type).toBe(4);
    expect(res.data.flags & 64).toBe(64);
    const renew = Math.floor(Date.UTC(2025, 5, 11) / 1000);
    expect(res.data.content).toBe(`Your daily quota of jobs (2) is used up. It renews <t:${renew}:R>.`);
    expect(h.sim.submits('imagine')).toHaveLength(2);
    expect([...h.discord.messages.values()].filter((m) => m.content.includes('three'))).toHaveLength(0);
    await h.waitForLog('request refused', { reason: 'limits.quota' });

    // The quota day ends at UTC midnight.
    await clock.advance(4 * 3_600_000 + 1);
    expect((await h.run('imagine', alice, { options: prompt('three') }).response).type).toBe(5);
    await h.submitted(3);
  });

  it('buttons count too: an upscale past the quota is refused', async () => {
    h = await Harness.start({ env: { DAILY_QUOTA: '1' } });
    const grid = await (await h.imagine('a fox')).message();
    await h.submitted(1);
    const task = h.sim.lastTaskId();
    h.sim.succeed(task);
    await h.poll();
    const u1 = grid.components[0].components[0].custom_id;
    const res = await h.discord.clickButton({ messageId: grid.id, customId: u1, user: alice }).response;
    expect(res.data.content).toMatch(/^Your daily quota of jobs \(1\) is used up/);
    expect(h.sim.submits('action')).toHaveLength(0);
  });

  it('a submit Midjourney refused gives its unit back', async () => {
    h = await Harness.start({ env: { DAILY_QUOTA: '1' } });
    h.sim.nextSubmit({ code: 24, bannedWord: 'gore' });
    const refused = await (await h.imagine('a banned thing')).message();
    await h.waitFor((m) => m.id === refused.id && m.content.includes('(Failed)'));
    expect((await h.run('imagine', alice, { options: prompt('a fine thing') }).response).type).toBe(5);
  });

  it('server managers are exempt, unless QUOTA_EXEMPT_ADMINS=false', async () => {
    h = await Harness.start({ env: { DAILY_QUOTA: '1' } });
    for (const [i, p] of ['one', 'two'].entries()) {
      expect(
        (await h.run('imagine', alice, { memberPermissions: MANAGER, options: prompt(p) }).response).type,
      ).toBe(5);
      await h.submitted(i + 1);
    }
    await h.close();
    h = await Harness.start({ env: { DAILY_QUOTA: '1', QUOTA_EXEMPT_ADMINS: 'false' } });
    expect(
      (await h.run('imagine', alice, { memberPermissions: MANAGER, options: prompt('one') }).response).type,
    ).toBe(5);
    await h.submitted(1);
    const res = await h.run('imagine', alice, { memberPermissions: MANAGER, options: prompt('two') })
      .response;
    expect(res.data.content).toMatch(/^Your daily quota of jobs \(1\) is used up/);
  });
});
