import { afterEach, describe, expect, it } from 'vitest';
import { makePng } from '../../emulators/midjourney/index.js';
import { alice, finishTask, GRID_LABELS, Harness, labelsOf } from '../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('plain DM prompts', () => {
  it('a plain DM is an /imagine prompt: the bot replies in the DM and tracks the job to its result', async () => {
    h = await Harness.start();
    const dm = h.discord.dmChannelFor(alice.id);
    const said = await h.discord.userMessage({ user: alice, content: 'a lighthouse at dusk' });
    const msg = await h.waitFor((m) => m.channelId === dm && m.content.includes('a lighthouse at dusk'));
    expect(msg.content).toBe(`**a lighthouse at dusk** - <@${alice.id}> (Waiting to start)`);
    expect(msg.messageReference?.message_id).toBe(said.id);
    expect(msg.interactionId).toBeNull(); // a message of its own: edited through the channel route
    await finishTask(h);
    expect(h.sim.submits('imagine')[0]?.body).toMatchObject({ prompt: 'a lighthouse at dusk' });
    expect(msg.content).toBe(`**a lighthouse at dusk** - <@${alice.id}> (fast)`);
    expect(msg.attachments).toHaveLength(1);
    expect(labelsOf(msg)).toEqual(GRID_LABELS);
    const edits = h.discord.calls.filter((c) => c.method === 'PATCH' && c.path.includes(msg.id));
    expect(edits.length).toBeGreaterThan(0);
    expect(edits.every((c) => c.route === '/channels/:channel/messages/:message')).toBe(true);
  });

  it('image attachments of the DM are image prompts', async () => {
    h = await Harness.start();
    const png = makePng(8, 8);
    await h.discord.userMessage({
      user: alice,
      content: 'in the style of this',
      attachments: [{ filename: 'ref.png', contentType: 'image/png', data: png }],
    });
    await h.submitted(1);
    const body = h.sim.submits('imagine')[0]?.body as { base64Array?: string[]; prompt: string };
    expect(body.prompt).toBe('in the style of this');
    expect(body.base64Array).toEqual([`data:image/png;base64,${png.toString('base64')}`]);
  });

  it('buttons of a DM job work like any other', async () => {
    h = await Harness.start();
    const dm = h.discord.dmChannelFor(alice.id);
    await h.discord.userMessage({ user: alice, content: 'a red fox' });
    const grid = await h.waitFor((m) => m.channelId === dm && m.content.includes('a red fox'));
    await finishTask(h);
    const u1 = grid.components[0].components[0].custom_id;
    const up = await h.discord.clickButton({ messageId: grid.id, customId: u1, user: alice }).message();
    await h.submitted(2);
    expect(up.channelId).toBe(dm);
    expect(h.sim.submits('action')).toHaveLength(1);
  });

  it('an empty DM gets a hint; a bad file an explanation; nothing is sent upstream', async () => {
    h = await Harness.start();
    const dm = h.discord.dmChannelFor(alice.id);
    await h.discord.userMessage({ user: alice, content: '   ' });
    const hint = await h.waitFor((m) => m.channelId === dm);
    expect(hint.content).toContain('/help');
    await h.discord.userMessage({
      user: alice,
      content: 'a fox',
      attachments: [
        { filename: 'notes.txt', contentType: 'image/png', data: Buffer.from('not an image at all') },
      ],
    });
    const why = await h.waitFor((m) => m.channelId === dm && m.content.includes('notes.txt'));
    expect(why.content).toBe('notes.txt is not a supported image (PNG, JPEG, WebP or GIF).');
    expect(h.sim.submits()).toHaveLength(0);
  });

  it('DM prompts are held to the same limits, in the DM author’s language', async () => {
    h = await Harness.start({ env: { DAILY_QUOTA: '1' } });
    await h.bot.ctx.prefs.set(alice.id, { locale: 'zh-CN' });
    const dm = h.discord.dmChannelFor(alice.id);
    await h.discord.userMessage({ user: alice, content: 'first' });
    const first = await h.waitFor((m) => m.channelId === dm && m.content.includes('first'));
    expect(first.content).toContain('(等待开始)');
    await h.submitted(1);
    await h.discord.userMessage({ user: alice, content: 'second' });
    const refused = await h.waitFor((m) => m.channelId === dm && m.content.includes('额度'));
    expect(refused.content).toMatch(/^你今天的 1 个任务额度已经用完，额度将于 <t:\d+:R> 恢复。$/);
    expect(h.sim.submits('imagine')).toHaveLength(1);
  });

  it('every command works in a DM too', async () => {
    h = await Harness.start();
    for (const name of ['settings', 'info', 'help']) {
      const res = await h.run(name, alice, { dm: true }).response;
      expect(res.type, name).toBe(4);
      expect(res.data.flags & 64, name).toBe(64);
    }
    const admin = await h.run('mj-admin', alice, { dm: true, options: [{ name: 'show', type: 1 }] }).response;
    expect(admin.data.content).toBe('This command works only in a server.');
  });

  it('messages of the bot itself and in servers are not prompts', async () => {
    h = await Harness.start();
    await h.discord.userMessage({ user: alice, content: 'hello everyone', guildId: '200000000000000001' });
    await h.discord.userMessage({ user: alice, content: 'a quiet forest' });
    await h.submitted(1);
    expect(h.sim.submits('imagine').map((s) => (s.body as { prompt: string }).prompt)).toEqual([
      'a quiet forest',
    ]);
  });
});
