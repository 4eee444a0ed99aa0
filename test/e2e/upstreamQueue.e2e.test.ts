import { afterEach, describe, expect, it } from 'vitest';
import { alice, Harness } from '../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const position = (content: string) => /position (\d+)/.exec(content)?.[1] ?? null;

describe("Midjourney's own queue (code 22)", () => {
  for (const aggregator of [false, true]) {
    it(`shows the upstream position, keeps it current as it moves, then the progress${aggregator ? ' (aggregator)' : ''}`, async () => {
      h = await Harness.start({ sim: { aggregator } });
      h.sim.nextSubmit({ code: 22, queue: 2 });
      const message = await (await h.imagine('a queued fox')).message();
      await h.submitted(1);
      await h.settle();
      // Two tasks ahead of it: it is third, and that is Midjourney's queue, not the bot's own.
      expect(message.content).toBe(`**a queued fox** - <@${alice.id}> (In Midjourney's queue, position 3)`);
      const taskId = h.sim.lastTaskId();

      // A read that says nothing new keeps the position.
      await h.poll();
      expect(position(message.content)).toBe('3');

      h.sim.queue(taskId, 0);
      await h.poll();
      // The aggregator's reduced DTO keeps the submit's description: the position stays as the submit said.
      expect(position(message.content)).toBe(aggregator ? '3' : '1');

      h.sim.start(taskId);
      h.sim.progress(taskId, 40);
      await h.poll();
      expect(message.content).toBe(`**a queued fox** - <@${alice.id}> (40%) (fast)`);
      if (!aggregator) {
        expect(message.history.map((s) => position(s.content)).filter(Boolean)).toEqual(['3', '1']);
      }
    });
  }

  it('zh-CN reads the position in Chinese', async () => {
    h = await Harness.start();
    h.sim.nextSubmit({ code: 22, queue: 4 });
    const message = await (await h.imagine('狐狸', { ...alice, locale: 'zh-CN' })).message();
    await h.submitted(1);
    await h.settle();
    expect(message.content).toContain('(Midjourney 排队中，第 5 位)');
  });
});
