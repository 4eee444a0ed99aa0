import { afterEach, describe, expect, it } from 'vitest';
import { makePng } from '../../emulators/midjourney/index.js';
import { alice, GUILD, Harness } from '../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('start-up and delivery details', () => {
  it('registers /imagine for the guild, usable in guilds and bot DMs, and does not rewrite unchanged commands', async () => {
    h = await Harness.start();
    const imagine = h.discord.commands.guilds.get(GUILD)?.find((c: { name: string }) => c.name === 'imagine');
    expect(imagine?.contexts).toEqual(expect.arrayContaining([0, 1]));
    expect(imagine?.options?.[0]).toMatchObject({ name: 'prompt', required: true });
    const puts = () =>
      h?.discord.calls.filter((c) => c.method === 'PUT' && c.path.includes('/commands')).length;
    expect(puts()).toBe(1);
    await h.restart();
    expect(puts()).toBe(1);
  });

  it('links the final image instead of uploading it when it is over the upload limit', async () => {
    h = await Harness.start({ bot: { uploadLimit: 1024 } });
    const msg = await (await h.imagine('a very detailed map')).message();
    await h.submitted();
    const task = h.sim.lastTaskId();
    h.sim.complete(task, { imageBytes: makePng(256, 256, 7) });
    await h.poll();
    expect(msg.content).toBe(`**a very detailed map** - <@${alice.id}> (fast)`);
    expect(msg.attachments).toHaveLength(0);
    expect(msg.embeds[0]?.image?.url).toBe(`${h.sim.baseUrl}/img/${task}/final.png`);
  });
});
