import { afterEach, describe, expect, it } from 'vitest';
import { alice, customIdOf, Harness } from '../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('a job cancelled while it waits', () => {
  it('reads as cancelled, not failed, in Chinese too', async () => {
    h = await Harness.start({ env: { MAX_CONCURRENT_PER_USER: '1' } });
    const zhAlice = { ...alice, locale: 'zh-CN' };
    await h.imagine('first', zhAlice);
    await h.submitted(1);
    const waiting = await (await h.imagine('second', zhAlice)).message();
    await h.discord.clickButton({ messageId: waiting.id, customId: customIdOf(waiting, '❌'), user: zhAlice })
      .response;
    await h.waitForEvent((e) => e.job.failure?.kind === 'cancelled');
    await h.settle();
    expect(waiting.content.split('\n')[0]).toBe(`**second** - <@${alice.id}> (已取消)`);
    expect(waiting.content).not.toContain('失败');
    expect(waiting.embeds[0]?.title).toBe('已取消');
  });
});
