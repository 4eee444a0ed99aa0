import '../../src/interactions/urlInput.js';
import '../../src/i18n/index.js';
import '../../src/interactions/userError.js';
import '../../src/media/safeFetch.js';
import '../../src/media/download.js';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../../emulators/discord/index.js';

const URL_TIMEOUT_MS = 15_000;

import { FakeClock } from '../support/fakeClock.js';
import { nextSubmit, png, str } from '../support/flows.js';
import { alice, buttonsOf, customIdOf, finishTask, Harness, labelsOf } from '../support/harness.js';

let h: Harness | undefined;
/** An image host that takes the request and never answers. */
let hanging: Server | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  hanging?.closeAllConnections();
  hanging?.close();
  hanging = undefined;
});

/** `/describe image:<png>` run to its finished result. */
async function describedImage(harness: Harness): Promise<FakeMessage> {
  const submitted = nextSubmit(harness);
  const msg = await harness.run('describe', alice, { attachments: [png('image', 10, 8)] }).message();
  expect(msg.content).toBe(`**Describe** - <@${alice.id}> (Waiting to start)`);
  await submitted;
  await finishTask(harness);
  return msg;
}

describe('/describe end to end', () => {
  it('describes an attached image: the source image, four numbered prompts, 1 2 3 4 🔄 and Imagine all', async () => {
    h = await Harness.start();
    const msg = await describedImage(h);
    const [submit] = h.sim.submits('describe');
    expect(submit?.body.base64).toMatch(/^data:image\/png;base64,iVBOR/);
    expect(submit?.body).not.toHaveProperty('link');
    const taskId = h.sim.lastTaskId();
    expect(msg.content).toBe(`**Describe** - <@${alice.id}> (fast)`);
    const embed = msg.embeds[0];
    expect(embed?.image?.url).toBe(`${h.sim.baseUrl}/img/${taskId}/final.png`);
    const lines = String(embed?.description).split('\n\n');
    expect(lines).toHaveLength(4);
    expect(lines.map((l) => l.slice(0, 3))).toEqual(['1️⃣', '2️⃣', '3️⃣', '4️⃣']);
    expect(lines[1]).toBe('2️⃣ a fluffy cat portrait, pastel colours, studio photography --ar 5:4');
    expect(labelsOf(msg)).toEqual(['1', '2', '3', '4', '🔄', 'Imagine all', '✉️', '🗑️']);
  });

  it('pick 2 → a pop-up with prompt 2 → the edited prompt is imagined by the bot itself', async () => {
    h = await Harness.start();
    const msg = await describedImage(h);
    const open = h.discord.clickButton({ messageId: msg.id, customId: customIdOf(msg, '2'), user: alice });
    const shown = await open.response;
    expect(shown.type).toBe(9);
    const field = shown.data.components[0].component;
    expect(field.value).toBe('a fluffy cat portrait, pastel colours, studio photography --ar 5:4');

    const submitted = nextSubmit(h);
    const sent = h.discord.submitModal({
      customId: shown.data.custom_id,
      fields: { prompt: 'a fluffy cat portrait, oil painting --ar 5:4' },
      user: alice,
    });
    expect((await sent.response).type).toBe(5);
    const child = await sent.message();
    await submitted;
    expect(child.id).not.toBe(msg.id);
    const [imagine] = h.sim.submits('imagine');
    expect(imagine?.body).toMatchObject({ prompt: 'a fluffy cat portrait, oil painting --ar 5:4' });
    expect(h.sim.submits('action')).toHaveLength(0); // never the PicReader button: aggregators refuse it
    expect(child.content).toContain('**a fluffy cat portrait, oil painting --ar 5:4** - <@');
    expect(child.content).toContain(msg.id); // links back to the describe result
    await finishTask(h);
    expect(child.content).toContain('(fast)');
  });

  it('Imagine all starts four imagines, each in its own message (the fourth waits for a free slot)', async () => {
    h = await Harness.start();
    const msg = await describedImage(h);
    const before = h.discord.messages.size;
    const all = h.discord.clickButton({
      messageId: msg.id,
      customId: customIdOf(msg, 'Imagine all'),
      user: alice,
    });
    expect((await all.response).type).toBe(5);
    await h.submitted(4); // the describe, then three imagines: three jobs at once per user by default
    const fourth = await h.discord.waitForMessage((m) => m.content.includes('Waiting in position #1'));
    await h.bot.publisher.idle();
    const made = [...h.discord.messages.values()].slice(before).filter((m) => !m.deleted && !m.ephemeral);
    expect(made).toHaveLength(4);
    expect(made[3]).toBe(fourth);

    const fifth = nextSubmit(h);
    await finishTask(h); // one finishes: the waiting one goes
    await fifth;
    const prompts = h.sim.submits('imagine').map((r) => r.body.prompt);
    expect(prompts).toHaveLength(4);
    expect(new Set(prompts).size).toBe(4);
    expect(prompts).toContain('a fluffy cat portrait, pastel colours, studio photography --ar 5:4');
    for (const [i, m] of made.entries()) expect(m.content).toContain(`**${prompts[i]}**`);
    // The follow-up is tracked like any job: its finished task shows in its own message.
    await finishTask(h);
    expect(fourth.content).toContain(`**${prompts[3]}** - <@${alice.id}> (fast)`);
    expect(labelsOf(fourth)).toContain('U1');
    // Edited through the press's token by its own id (not as the original reply, nor by the channel route).
    const edits = h.discord.calls.filter(
      (c) => c.method === 'PATCH' && c.path.endsWith(`/messages/${fourth.id}`),
    );
    expect(edits.length).toBeGreaterThan(0);
    expect(edits.every((c) => c.path.startsWith('/webhooks/'))).toBe(true);
  });

  it('🔄 describes the same image again, as a new job', async () => {
    h = await Harness.start();
    const msg = await describedImage(h);
    const submitted = nextSubmit(h);
    const again = h.discord.clickButton({ messageId: msg.id, customId: customIdOf(msg, '🔄'), user: alice });
    const next = await again.message();
    await submitted;
    const submits = h.sim.submits('describe');
    expect(submits).toHaveLength(2);
    expect(submits[1]?.body.base64).toBe(submits[0]?.body.base64);
    expect(h.sim.submits('action')).toHaveLength(0);
    await finishTask(h);
    expect(next.content).toBe(
      `**Describe** - <@${alice.id}> (fast)\n↩️ [Original message](https://discord.com/channels/${msg.guildId}/${msg.channelId}/${msg.id})`,
    );
    expect(buttonsOf(next).filter((b) => b.customId.includes(':pick:'))).toHaveLength(4);
  });
});

describe('/describe url', () => {
  it('fetches the image itself and sends it as base64 (private addresses allowed by configuration)', async () => {
    h = await Harness.start({ env: { DESCRIBE_ALLOW_PRIVATE_URLS: 'true' } });
    const submitted = nextSubmit(h);
    const url = `${h.sim.baseUrl}/img/source/final.png`;
    const msg = await h.run('describe', alice, { options: [str('url', url)] }).message();
    await submitted;
    const [submit] = h.sim.submits('describe');
    expect(submit?.body.base64).toMatch(/^data:image\/png;base64,/);
    expect(submit?.body).not.toHaveProperty('link');
    expect(h.sim.requests.some((r) => r.endpoint === 'img' && r.path === '/img/source/final.png')).toBe(true);
    await finishTask(h);
    expect(msg.embeds[0]?.description).toContain('1️⃣');
  });

  it('gives a host that never answers 15 s on the bot clock, then says so; nothing is submitted', async () => {
    const clock = new FakeClock(Date.now());
    h = await Harness.start({ bot: { clock }, env: { DESCRIBE_ALLOW_PRIVATE_URLS: 'true' } });
    const reached = new Promise<void>((resolve) => {
      hanging = createServer(() => resolve()).listen(0, '127.0.0.1');
    });
    await once(hanging as Server, 'listening');
    const { port } = (hanging as Server).address() as AddressInfo;
    h.run('describe', alice, { options: [str('url', `http://127.0.0.1:${port}/slow.png`)] });
    await reached;
    await clock.armed(URL_TIMEOUT_MS);
    await clock.advance(URL_TIMEOUT_MS - 1);
    expect([...h.discord.messages.values()].some((m) => m.content.includes('too long'))).toBe(false);
    await clock.advance(1);
    const note = await h.discord.waitForMessage((m) => m.ephemeral && m.content.includes('too long'));
    expect(note.content).toBe('The address took too long to answer. Try again, or attach the image instead.');
    await h.waitForLog('image URL refused', { reason: 'timeout' });
    expect(h.sim.submits('describe')).toHaveLength(0);
  });

  it('refuses a loopback address by default, and says why', async () => {
    h = await Harness.start();
    const handle = h.run('describe', alice, {
      options: [str('url', `${h.sim.baseUrl}/img/source/final.png`)],
    });
    const note = await h.discord.waitForMessage((m) => m.ephemeral && m.content.includes('private or local'));
    expect(note.content).toBe('That address cannot be fetched: it points to a private or local network.');
    expect((await handle.response).type).toBe(5);
    expect(h.sim.requests.some((r) => r.endpoint === 'img')).toBe(false);
    expect(h.sim.submits('describe')).toHaveLength(0);
    await h.waitForLog('image URL refused', { reason: 'blocked' });
    expect(h.logs.join('\n')).not.toContain('/img/source/final.png');
  });

  it.each([
    ['both an image and a URL', [str('url', 'https://example.com/a.png')], [png('image')], 'exactly one'],
    ['neither', [], [], 'exactly one'],
    ['a URL that is not http(s)', [str('url', 'ftp://example.com/a.png')], [], 'must start with http'],
  ])('answers at once, ephemerally, when given %s', async (_what, options, attachments, text) => {
    h = await Harness.start();
    const answer = await h.run('describe', alice, { options, attachments }).response;
    expect(answer.type).toBe(4);
    expect(answer.data.flags & 64).toBe(64);
    expect(answer.data.content).toContain(text);
    expect(h.sim.submits()).toHaveLength(0);
  });
});
