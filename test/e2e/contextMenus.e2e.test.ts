import { afterEach, describe, expect, it } from 'vitest';
import type { FakeAttachmentSpec, FakeUser } from '../../emulators/discord/index.js';
import { makePng } from '../../emulators/midjourney/index.js';
import { nextSubmit } from '../support/flows.js';
import { alice, GUILD, Harness } from '../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const image = (n: number): FakeAttachmentSpec => ({
  filename: `photo${n}.png`,
  contentType: 'image/png',
  data: makePng(8, 8, n),
});

/** A message alice posts in the server's first channel (or her DM with the bot), with `count` images. */
async function postWithImages(count: number, dm = false) {
  const attachments = Array.from({ length: count }, (_, i) => image(i + 1));
  return h!.discord.userMessage({
    user: alice,
    content: 'look',
    ...(dm ? {} : { guildId: GUILD }),
    attachments,
  });
}

function menu(name: string, messageId: string, user: FakeUser = alice) {
  return h!.discord.messageCommand({ name, messageId, user });
}

describe('message context menus', () => {
  it('are registered as message commands everywhere, with zh-CN names', async () => {
    h = await Harness.start();
    const menus = (h.discord.commands.guilds.get(GUILD) ?? []).filter((c) => c.type === 3);
    expect(menus.map((c) => [c.name, c.name_localizations?.['zh-CN']])).toEqual([
      ['Describe image', '描述图片'],
      ['Imagine from image', '以图生图'],
      ['Blend images', '混合图片'],
    ]);
    for (const c of menus) {
      expect(c.contexts).toEqual([0, 1, 2]);
      expect(c.integration_types).toEqual([0, 1]);
    }
  });

  it('Describe image describes the first image of the message', async () => {
    h = await Harness.start();
    const target = await postWithImages(2);
    const submitted = nextSubmit(h);
    const handle = menu('Describe image', target.id);
    expect((await handle.response).type).toBe(5);
    const msg = await handle.message();
    await submitted;
    const [submit] = h.sim.submits('describe');
    expect(submit?.body.base64).toBe(`data:image/png;base64,${makePng(8, 8, 1).toString('base64')}`);
    expect(msg.content).toContain('(Waiting to start)');
  });

  it('Imagine from image asks for the prompt first, then sends the images as image prompts (in a DM too)', async () => {
    h = await Harness.start();
    const target = await postWithImages(2, true);
    const handle = menu('Imagine from image', target.id);
    expect((await handle.response).type).toBe(9);
    const modal = h.discord.modals.at(-1);
    expect(modal?.data.title).toBe('Imagine from 2 image(s)');
    const sent = h.discord.submitModal({
      customId: modal?.customId ?? '',
      fields: { prompt: 'a fox' },
      user: alice,
    });
    const msg = await sent.message();
    // (The message itself, a plain DM, is an /imagine prompt of its own: the menu's submit is the one for 'a fox'.)
    const submit = await h.sim.waitForRequest(
      (r) => r.endpoint === 'submit/imagine' && r.body?.prompt === 'a fox',
    );
    expect(submit?.body.base64Array).toHaveLength(2);
    expect(msg.content).toBe(`**a fox** - <@${alice.id}> (Waiting to start)`);
    // The pop-up is used once: sending it again finds nothing kept.
    const again = await h.discord.submitModal({
      customId: modal?.customId ?? '',
      fields: { prompt: 'x' },
      user: alice,
    }).response;
    expect(again.data.content).toBe("This pop-up has expired. Use the message's Apps menu again.");
  });

  it('Blend images offers the dimensions in a select and blends 2–5 images', async () => {
    h = await Harness.start();
    const target = await postWithImages(6);
    expect((await menu('Blend images', target.id).response).type).toBe(9);
    const modal = h.discord.modals.at(-1);
    expect(modal?.data.title).toBe('Blend 5 images');
    expect(modal?.data.components[0].component.type).toBe(3);
    const submitted = nextSubmit(h);
    const msg = await h.discord
      .submitModal({ customId: modal?.customId ?? '', fields: { dimensions: 'PORTRAIT' }, user: alice })
      .message();
    await submitted;
    const [submit] = h.sim.submits('blend');
    expect(submit?.body.dimensions).toBe('PORTRAIT');
    expect(submit?.body.base64Array).toHaveLength(5);
    expect(msg.content).toBe(`**Blend** - <@${alice.id}> (Waiting to start)`);
  });

  it('a message without usable images gets a clear ephemeral answer, in English and Chinese', async () => {
    h = await Harness.start();
    const plain = await h.discord.userMessage({ user: alice, content: 'no pictures', guildId: GUILD });
    for (const name of ['Describe image', 'Imagine from image', 'Blend images']) {
      const res = await menu(name, plain.id).response;
      expect(res.type).toBe(4);
      expect(res.data.flags & 64).toBe(64);
      expect(res.data.content).toBe(
        'This message has no image to use. Pick a message with an image attachment (PNG, JPEG, GIF or WebP).',
      );
    }
    const one = await postWithImages(1);
    const res = await menu('Blend images', one.id).response;
    expect(res.data.content).toBe('Blend needs 2 to 5 images in one message; this one has 1.');
    const zh = await menu('Describe image', plain.id, { ...alice, locale: 'zh-CN' }).response;
    expect(zh.data.content).toBe(
      '这条消息里没有可用的图片。请选择带图片附件（PNG、JPEG、GIF 或 WebP）的消息。',
    );
    expect(h.sim.submits()).toHaveLength(0);
  });
});
