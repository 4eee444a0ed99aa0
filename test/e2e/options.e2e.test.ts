import { afterEach, describe, expect, it } from 'vitest';
import { click, nextSubmit, png, str } from '../support/flows.js';
import { alice, finishTask, Harness } from '../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('mode and bot options', () => {
  it('/imagine mode:relax bot:niji goes to /mj-relax with botType NIJI_JOURNEY; its buttons keep the mode', async () => {
    h = await Harness.start();
    const submitted = nextSubmit(h);
    const msg = await h
      .run('imagine', alice, {
        options: [str('prompt', 'a koi pond'), str('mode', 'relax'), str('bot', 'niji')],
      })
      .message();
    await submitted;
    const [submit] = h.sim.submits('imagine');
    expect(submit?.path).toBe('/mj-relax/mj/submit/imagine');
    expect(submit?.body).toMatchObject({ prompt: 'a koi pond', botType: 'NIJI_JOURNEY' });
    await finishTask(h);
    expect(msg.content).toBe(`**a koi pond** - <@${alice.id}> (relaxed)`);

    const next = nextSubmit(h);
    await click(h, msg, 'U1').message();
    await next;
    expect(h.sim.submits('action')[0]?.mode).toBe('relax');
  });

  it('/blend and /describe take the same options', async () => {
    h = await Harness.start();
    let submitted = nextSubmit(h);
    h.run('blend', alice, {
      options: [str('mode', 'turbo'), str('bot', 'midjourney')],
      attachments: [png('image1'), png('image2')],
    });
    await submitted;
    const [blend] = h.sim.submits('blend');
    expect(blend?.mode).toBe('turbo');
    expect(blend?.body.botType).toBe('MID_JOURNEY');

    submitted = nextSubmit(h);
    h.run('describe', alice, {
      options: [str('mode', 'relax'), str('bot', 'niji')],
      attachments: [png('image')],
    });
    await submitted;
    const [describe] = h.sim.submits('describe');
    expect(describe?.path).toBe('/mj-relax/mj/submit/describe');
    expect(describe?.body.botType).toBe('NIJI_JOURNEY');
  });

  it("without options: the user's stored preference, else MJ_MODE; an option beats the preference", async () => {
    h = await Harness.start({ env: { MJ_MODE: 'relax', MAX_CONCURRENT_PER_USER: '10' } });
    let submitted = nextSubmit(h);
    h.run('imagine', alice, { options: [str('prompt', 'plain')] });
    await submitted;
    expect(h.sim.submits('imagine')[0]?.mode).toBe('relax');
    expect(h.sim.submits('imagine')[0]?.body).not.toHaveProperty('botType');

    await h.bot.ctx.prefs.set(alice.id, { mode: 'turbo', botType: 'NIJI_JOURNEY' });
    submitted = nextSubmit(h);
    h.run('imagine', alice, { options: [str('prompt', 'preferred')] });
    await submitted;
    expect(h.sim.submits('imagine')[1]?.mode).toBe('turbo');
    expect(h.sim.submits('imagine')[1]?.body.botType).toBe('NIJI_JOURNEY');

    submitted = nextSubmit(h);
    h.run('shorten', alice, { options: [str('prompt', 'a long prompt to shorten')] });
    await submitted;
    expect(h.sim.submits('shorten')[0]?.mode).toBe('turbo');

    submitted = nextSubmit(h);
    h.run('imagine', alice, {
      options: [str('prompt', 'chosen'), str('mode', 'fast'), str('bot', 'midjourney')],
    });
    await submitted;
    expect(h.sim.submits('imagine')[2]?.mode).toBe('fast');
    expect(h.sim.submits('imagine')[2]?.body.botType).toBe('MID_JOURNEY');
  });

  it('registers mode and bot choices (with Chinese names) on /imagine, /blend and /describe', async () => {
    h = await Harness.start();
    const registered = h.discord.commands.guilds.get([...h.discord.commands.guilds.keys()][0] ?? '') ?? [];
    for (const name of ['imagine', 'blend', 'describe']) {
      const cmd = registered.find((c: { name: string }) => c.name === name);
      const mode = cmd?.options.find((o: { name: string }) => o.name === 'mode');
      const bot = cmd?.options.find((o: { name: string }) => o.name === 'bot');
      expect(mode?.choices.map((c: { value: string }) => c.value)).toEqual(['fast', 'relax', 'turbo']);
      expect(mode?.choices[1].name_localizations['zh-CN']).toBe('慢速');
      expect(bot?.choices.map((c: { name: string }) => c.name)).toEqual(['Midjourney', 'Niji']);
    }
  });
});
