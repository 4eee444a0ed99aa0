import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeMessage, InteractionResponse } from '../../emulators/discord/index.js';
import { makePng } from '../../emulators/midjourney/index.js';
import { png, str } from '../support/flows.js';
import { alice, customIdOf, finishTask, Harness, labelsOf } from '../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** An ephemeral answer of the bot (reply, or follow-up after a defer) to the interaction. */
function expectEphemeral(r: InteractionResponse, text: RegExp | string): void {
  expect(r.type).toBe(4);
  expect(r.data.flags & 64).toBe(64);
  if (typeof text === 'string') expect(r.data.content).toContain(text);
  else expect(r.data.content).toMatch(text);
}

/** Rewrites the custom_id of the first button of a bot message, as an old or forged message would carry it. */
function forgeButton(m: FakeMessage, customId: string): void {
  const button = m.components[0]?.components[0];
  if (!button) throw new Error('the message has no button');
  button.custom_id = customId;
}

describe('bad prompts: answered at once, ephemerally, nothing sent upstream', () => {
  it.each([
    ['only whitespace and new lines', ' \n\t  \n', 'Please enter a prompt.'],
    ['over the length limit', `a castle ${'very '.repeat(20)}`, /too long: \d+ characters, at most 50/],
  ])('%s', async (_name, prompt, answer) => {
    h = await Harness.start({ env: { MAX_PROMPT_LENGTH: '50' } });
    expectEphemeral(await (await h.imagine(prompt)).response, answer);
    expect(h.sim.submits()).toHaveLength(0);
    // the bot is fine afterwards
    await (await h.imagine('a fine prompt')).message();
    await h.submitted();
  });

  it('an image is judged by its bytes, not its name: a PNG called .txt is taken', async () => {
    h = await Harness.start();
    const png = makePng(8, 8, 1);
    const handle = await h.imagine('in this style', alice, {
      attachments: [{ filename: 'notes.txt', contentType: 'text/plain', data: png, option: 'image' }],
    });
    await handle.message();
    await h.submitted();
    expect(h.sim.submits('imagine')[0]?.body.base64Array).toEqual([
      `data:image/png;base64,${png.toString('base64')}`,
    ]);
  });
});

describe('/blend and /describe inputs', () => {
  it('/blend with one image is refused at once, ephemerally', async () => {
    h = await Harness.start();
    const answer = await h.run('blend', alice, { attachments: [png('image1')] }).response;
    expectEphemeral(answer, 'Give at least two images to blend.');
    expect(h.sim.submits()).toHaveLength(0);
  });

  it('/describe of an address that does not answer, or of a huge image, says so; nothing is sent upstream', async () => {
    // A local image host (private addresses allowed for the test): one path too large, one port closed.
    const big = Buffer.concat([makePng(4, 4), Buffer.alloc(2 * 1024 * 1024)]);
    const host: Server = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'image/png' }).end(big),
    );
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    const { port } = host.address() as AddressInfo;
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    try {
      h = await Harness.start({ env: { DESCRIBE_ALLOW_PRIVATE_URLS: 'true', MAX_IMAGE_MB: '1' } });
      h.run('describe', alice, { options: [str('url', `http://127.0.0.1:${closedPort}/a.png`)] });
      await h.discord.waitForMessage((m) => m.ephemeral && m.content.includes('Could not fetch the image'));
      h.run('describe', alice, { options: [str('url', `http://127.0.0.1:${port}/huge.png`)] });
      const note = await h.discord.waitForMessage((m) => m.ephemeral && m.content.includes('too large'));
      expect(note.content).toBe('The image at that address is too large (at most 1 MiB).');
      expect(h.sim.submits()).toHaveLength(0);
    } finally {
      host.closeAllConnections();
      await new Promise<void>((resolve) => host.close(() => resolve()));
    }
  });
});

describe('bad buttons: a clear ephemeral note, nothing upstream, nothing crashes', () => {
  it.each([
    ['a malformed custom_id', 'mj1:btn:', 'This button or form is no longer valid.'],
    ['a foreign custom_id', 'someotherbot:page:2', 'This button or form is no longer valid.'],
    ['an older version of the grammar', 'mj0:btn:abc:1', 'This button or form is no longer valid.'],
    [
      'an unknown (expired) job',
      'mj1:btn:NoSuchJob000:0',
      'This job is too old: finished jobs are kept for 90 days',
    ],
    ['a button index the job does not have', null, 'This job is no longer available.'],
  ])('%s', async (_name, customId, answer) => {
    h = await Harness.start();
    const grid = await (await h.imagine('a red fox in the snow')).message();
    await finishTask(h);
    const job = await h.bot.ctx.store.byMessage(grid.id);
    forgeButton(grid, customId ?? `mj1:btn:${job?.id}:42`);
    const forged = String(grid.components[0].components[0].custom_id);
    expectEphemeral(
      await h.discord.clickButton({ messageId: grid.id, customId: forged, user: alice }).response,
      answer,
    );
    expect(h.sim.submits('action')).toHaveLength(0);
    // the other buttons still work
    await h.discord
      .clickButton({ messageId: grid.id, customId: customIdOf(grid, 'V1'), user: alice })
      .message();
    await h.submitted(2);
  });

  it('a button whose upstream task vanished ends in a clear message, without a Retry', async () => {
    h = await Harness.start();
    const grid = await (await h.imagine('a red fox in the snow')).message();
    const task = await finishTask(h);
    h.sim.forget(task);
    const child = await h.discord
      .clickButton({ messageId: grid.id, customId: customIdOf(grid, 'U1'), user: alice })
      .message();
    await h.submitFailed('parent_vanished');
    await h.waitFor((m) => m.id === child.id && m.content.includes('(Failed)'));
    expect(child.content).toContain('Midjourney no longer has the image this button belongs to');
    expect(labelsOf(child)).toEqual([]);
    expect(h.bot.tracker.size).toBe(0);
  });
});
