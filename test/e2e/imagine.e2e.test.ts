import { afterEach, describe, expect, it } from 'vitest';
import { makePng } from '../../emulators/midjourney/index.js';
import {
  alice,
  bob,
  buttonsOf,
  CHANNEL,
  customIdOf,
  finishTask,
  GRID_LABELS,
  Harness,
  labelsOf,
} from '../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('/imagine end to end', () => {
  it('answers in a guild channel, shows progress with a preview, ends with the image and nine buttons', async () => {
    h = await Harness.start();
    const handle = await h.imagine('a red fox in the snow');
    const response = await handle.response;
    expect(response.type).toBe(5); // deferred at once
    const msg = await handle.message();
    expect(msg.channelId).toBe(CHANNEL);
    expect(msg.content).toBe(`**a red fox in the snow** - <@${alice.id}> (Waiting to start)`);

    await h.submitted();
    const submit = h.sim.submits('imagine');
    expect(submit).toHaveLength(1);
    expect(submit[0]?.mode).toBe('fast');
    expect(submit[0]?.authorization).toBe(`Bearer ${h.config.mjApiKey}`);
    expect(submit[0]?.body).toMatchObject({ prompt: 'a red fox in the snow' });
    const taskId = h.sim.lastTaskId();

    h.sim.start(taskId);
    h.sim.progress(taskId, 31);
    await h.poll();
    expect(msg.content).toBe(`**a red fox in the snow** - <@${alice.id}> (31%) (fast)`);
    expect(msg.embeds[0]?.image?.url).toBe(`${h.sim.baseUrl}/img/${taskId}/preview-31.png`);

    h.sim.progress(taskId, 62);
    await h.poll();
    expect(msg.content).toContain('(62%)');

    h.sim.succeed(taskId);
    await h.poll();
    expect(msg.content).toBe(`**a red fox in the snow** - <@${alice.id}> (fast)`);
    expect(msg.attachments).toHaveLength(1);
    expect(msg.attachments[0]?.data.subarray(1, 4).toString()).toBe('PNG');
    expect(msg.embeds[0]?.image?.url).toBe(`attachment://${msg.attachments[0]?.filename}`);
    expect(labelsOf(msg)).toEqual(GRID_LABELS);
    // one edit per visible change: the deferred placeholder, then each state once
    const states = msg.history.map((s) => s.content.match(/\((\d+%|Waiting to start)\)/)?.[1] ?? s.content);
    expect(states).toEqual(['', 'Waiting to start', '31%', '62%', msg.content]);
  });
});

describe('/imagine in a DM', () => {
  it('works in a DM with the bot, with the same progress and result', async () => {
    h = await Harness.start();
    const handle = await h.imagine('a lighthouse at dusk', alice, { dm: true });
    const msg = await handle.message();
    expect(msg.guildId).toBeNull();
    expect(msg.channelId).toBe(h.discord.dmChannelFor(alice.id));
    await finishTask(h);
    expect(msg.content).toBe(`**a lighthouse at dusk** - <@${alice.id}> (fast)`);
    expect(labelsOf(msg)).toEqual(GRID_LABELS);
  });
});

describe('buttons', () => {
  it('U2 posts a new message for the upscale, ending with its own buttons; Vary (Strong) then makes a new grid', async () => {
    h = await Harness.start();
    const grid = await (await h.imagine('a red fox in the snow')).message();
    const gridTask = await finishTask(h);

    const click = h.discord.clickButton({
      messageId: grid.id,
      customId: customIdOf(grid, 'U2'),
      user: alice,
    });
    expect((await click.response).type).toBe(5);
    const up = await click.message();
    expect(up.id).not.toBe(grid.id);
    await h.submitted(2);
    const action = h.sim.submits('action')[0];
    expect(action?.body).toMatchObject({
      taskId: gridTask,
      customId: expect.stringContaining('upsample::2'),
    });
    expect(up.content).toContain('Image #2');
    expect(up.content).toContain(`<@${alice.id}>`);
    expect(up.content).toContain(grid.id); // jump link to the parent message

    const upTask = h.sim.lastTaskId();
    h.sim.complete(upTask);
    await h.poll();
    expect(up.attachments).toHaveLength(1);
    const labels = labelsOf(up);
    expect(labels).toEqual(
      expect.arrayContaining([
        'Upscale (Subtle)',
        'Upscale (Creative)',
        'Vary (Subtle)',
        'Vary (Strong)',
        'Vary (Region)',
        'Zoom Out 2x',
        'Zoom Out 1.5x',
        'Custom Zoom',
        '⬅️',
        '➡️',
        '⬆️',
        '⬇️',
      ]),
    );
    expect(labels).not.toContain('❤️');

    const vary = h.discord.clickButton({
      messageId: up.id,
      customId: customIdOf(up, 'Vary (Strong)'),
      user: alice,
    });
    const varyMsg = await vary.message();
    await h.submitted(3);
    expect(h.sim.submits('action')[1]?.body).toMatchObject({
      taskId: upTask,
      customId: expect.stringContaining('high_variation'),
    });
    h.sim.complete(h.sim.lastTaskId());
    await h.poll();
    expect(varyMsg.content).toContain('Variations (Strong)');
    expect(labelsOf(varyMsg)).toEqual(GRID_LABELS);
  });

  it('refuses a press by someone else, with nothing sent upstream', async () => {
    h = await Harness.start();
    const grid = await (await h.imagine('a red fox in the snow')).message();
    await finishTask(h);
    const id = customIdOf(grid, 'V1');
    const theirs = h.discord.clickButton({ messageId: grid.id, customId: id, user: bob });
    const note = await theirs.response;
    expect(note.type).toBe(4);
    expect(note.data.flags & 64).toBe(64);
    expect(note.data.content).toContain(`<@${alice.id}>`);
    expect(h.sim.submits('action')).toHaveLength(0);
  });

  it('a second click while the first is under way starts one action and tells the user', async () => {
    h = await Harness.start();
    const grid = await (await h.imagine('a red fox in the snow')).message();
    await finishTask(h);
    let release: () => void = () => undefined;
    h.sim.fault(
      { endpoint: 'submit/action' },
      {
        until: new Promise<void>((r) => {
          release = r;
        }),
      },
    );
    const id = customIdOf(grid, 'U3');
    const first = h.discord.clickButton({ messageId: grid.id, customId: id, user: alice });
    await h.sim.waitForRequest((r) => r.endpoint === 'submit/action');
    const second = await h.discord.clickButton({ messageId: grid.id, customId: id, user: alice }).response;
    expect(second.data.flags & 64).toBe(64);
    expect(second.data.content).toMatch(/already/i);
    release();
    await first.message();
    await h.submitted(2);
    expect(h.sim.submits('action')).toHaveLength(1);
  });
});

describe('restart', () => {
  it('a job in flight when the bot stops finishes in the same message after a restart, and old buttons work', async () => {
    h = await Harness.start();
    const first = await (await h.imagine('first job')).message();
    const firstTask = await finishTask(h);
    const second = await (await h.imagine('second job')).message();
    await h.submitted(2);
    const task = h.sim.lastTaskId();
    h.sim.start(task);
    h.sim.progress(task, 20);
    await h.poll();
    expect(second.content).toContain('(20%)');

    await h.restart();
    h.sim.succeed(task);
    await h.poll();
    expect(second.content).toBe('**second job** - <@300000000000000001> (fast)');
    expect(labelsOf(second)).toEqual(GRID_LABELS);
    expect(h.sim.submits('imagine')).toHaveLength(2); // nothing submitted again

    const click = h.discord.clickButton({
      messageId: first.id,
      customId: customIdOf(first, 'U1'),
      user: alice,
    });
    await click.message();
    await h.submitted(3);
    expect(h.sim.submits('action')[0]?.body).toMatchObject({ taskId: firstTask });
  });
});

describe('failures and tokens', () => {
  it('an upstream FAILURE ends the message with the reason', async () => {
    h = await Harness.start();
    const msg = await (await h.imagine('a forbidden thing')).message();
    await h.submitted();
    h.sim.fail(
      h.sim.lastTaskId(),
      '[Banned prompt detected] Sorry! Our AI moderator thinks this prompt is probably against our community standards.',
    );
    await h.poll();
    expect(msg.content).toContain('Banned prompt detected');
    expect(msg.content).toMatch(/fail/i);
    expect(buttonsOf(msg).map((b) => b.label)).toContain('Retry');
  });

  it('a refused submit (banned word, code 24) says which word, and nothing is tracked', async () => {
    h = await Harness.start();
    h.sim.nextSubmit({ code: 24, bannedWord: 'gore' });
    const msg = await (await h.imagine('some gore')).message();
    await h.submitFailed();
    await h.bot.publisher.idle();
    expect(msg.content).toContain('gore');
    expect(h.bot.tracker.size).toBe(0);
  });

  it('uses the channel route once the interaction token is refused (50027)', async () => {
    h = await Harness.start();
    const handle = await h.imagine('a slow relax job');
    const msg = await handle.message();
    await h.submitted();
    h.discord.expireToken(handle.token);
    const task = h.sim.lastTaskId();
    h.sim.complete(task);
    await h.poll();
    expect(msg.content).toBe('**a slow relax job** - <@300000000000000001> (fast)');
    const edits = h.discord.calls.filter((c) => c.method === 'PATCH');
    expect(edits.at(-1)?.route).toBe('/channels/:channel/messages/:message');
    expect(edits.some((c) => c.status === 401 && c.path.startsWith('/webhooks'))).toBe(true);
  });
});

describe('image prompts and input checks', () => {
  it('sends an attached image as base64Array, and the mode from MJ_MODE in the path', async () => {
    h = await Harness.start({ env: { MJ_MODE: 'relax' } });
    const png = makePng(8, 8);
    const handle = await h.imagine('in this style', alice, {
      attachments: [{ filename: 'ref.png', contentType: 'image/png', data: png, option: 'image' }],
    });
    await handle.message();
    await h.submitted();
    const submit = h.sim.submits('imagine')[0];
    expect(submit?.mode).toBe('relax');
    expect(submit?.body.base64Array).toEqual([`data:image/png;base64,${png.toString('base64')}`]);
  });

  it('refuses a file that is not an image (by its bytes), with nothing sent upstream and no message left', async () => {
    h = await Harness.start();
    const handle = await h.imagine('in this style', alice, {
      attachments: [
        {
          filename: 'cat.png',
          contentType: 'image/png',
          data: Buffer.from('MZ not an image at all'),
          option: 'image',
        },
      ],
    });
    const note = await h.discord.waitForMessage((m) => m.ephemeral && m.content.includes('cat.png'));
    expect(note.content).toMatch(/not a supported image/i);
    expect(h.sim.submits()).toHaveLength(0);
    const placeholder = [...h.discord.messages.values()].find(
      (m) => m.webhookToken === handle.token && !m.ephemeral,
    );
    expect(placeholder?.deleted ?? true).toBe(true);
  });

  it('refuses an empty prompt and an oversized file at once, ephemerally', async () => {
    h = await Harness.start({ env: { MAX_IMAGE_MB: '1' } });
    const empty = await h.imagine('    ');
    const r1 = await empty.response;
    expect(r1.type).toBe(4);
    expect(r1.data.flags & 64).toBe(64);
    const big = await h.imagine('big', alice, {
      attachments: [
        {
          filename: 'huge.png',
          contentType: 'image/png',
          data: Buffer.alloc(2 * 1024 * 1024),
          option: 'image',
        },
      ],
    });
    const r2 = await big.response;
    expect(r2.type).toBe(4);
    expect(r2.data.content).toContain('huge.png');
    expect(h.sim.submits()).toHaveLength(0);
  });
});
