import { afterEach, describe, expect, it } from 'vitest';
import type { ApiJson } from '../../emulators/discord/index.js';
import { makePng } from '../../emulators/midjourney/index.js';
import { click, finishedUpscale, nextSubmit } from '../support/flows.js';
import { alice, finishTask, Harness } from '../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The upscaled image is 16×9; masks are judged against that. */
const IMAGE = makePng(16, 9, 3);

async function openRegion(harness: Harness) {
  const { up, upTask } = await finishedUpscale(harness, 'a red fox in the snow', IMAGE);
  const requests = harness.sim.requests.length;
  const open = await click(harness, up, 'Vary (Region)').response;
  expect(open.type).toBe(9);
  expect(harness.sim.requests.length).toBe(requests); // nothing asked upstream before the pop-up
  return { up, upTask, open };
}

const mask = (data: Buffer, filename = 'mask.png', contentType = 'image/png') => ({
  mask: [{ filename, contentType, data }],
});

describe('Vary (Region)', () => {
  it('shows the prompt and a mask upload whose hint gives the convention', async () => {
    h = await Harness.start();
    const { open } = await openRegion(h);
    expect(open.data.title).toBe('Vary (Region)');
    const [prompt, upload] = open.data.components as ApiJson[];
    expect(prompt.type).toBe(18);
    expect(prompt.component).toMatchObject({ type: 4, custom_id: 'prompt', value: 'a red fox in the snow' });
    expect(upload.type).toBe(18);
    expect(upload.component).toMatchObject({ type: 19, custom_id: 'mask', min_values: 1, max_values: 1 });
    expect(upload.description).toContain('white = area to regenerate, black = keep');
  });

  it('a PNG mask with the image aspect ratio goes as a PNG data URL in maskBase64, after the action', async () => {
    h = await Harness.start();
    const { up, upTask, open } = await openRegion(h);
    const png = makePng(32, 18, 9);
    const submitted = nextSubmit(h);
    const sent = h.discord.submitModal({
      customId: open.data.custom_id,
      fields: { prompt: 'a red fox wearing a scarf' },
      files: mask(png),
      user: alice,
      messageId: up.id, // as Discord sends it for a pop-up opened from a message's button
    });
    const child = await sent.message();
    await submitted;
    expect(h.sim.submits('action')[1]?.body).toMatchObject({
      taskId: upTask,
      customId: expect.stringMatching(/^MJ::Inpaint::/),
    });
    const regionTask = h.sim.lastTaskId();
    const [modal] = h.sim.submits('modal');
    expect(modal?.body).toEqual(
      expect.objectContaining({
        taskId: regionTask,
        prompt: 'a red fox wearing a scarf',
        maskBase64: `data:image/png;base64,${png.toString('base64')}`,
      }),
    );
    expect(h.sim.task(regionTask).mask).toBe(modal?.body.maskBase64);
    expect(child.content).toContain('**a red fox wearing a scarf** - Variations (Region) by');
    expect(child.content).toContain(up.id);
    await finishTask(h);
    expect(child.content).toContain('(fast)');
  });

  it.each([
    ['another aspect ratio', makePng(10, 10), 'The mask is 10×10 but the image is 16×9'],
    [
      'a JPEG named .png',
      Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]),
      'must be a PNG',
    ],
  ])('refuses a mask of %s and sends nothing upstream', async (_what, data, text) => {
    h = await Harness.start();
    const { open } = await openRegion(h);
    const sent = h.discord.submitModal({
      customId: open.data.custom_id,
      fields: { prompt: 'a red fox wearing a scarf' },
      files: mask(data),
      user: alice,
    });
    expect((await sent.response).type).toBe(5);
    const note = await h.discord.waitForMessage((m) => m.ephemeral && m.content.includes(text));
    expect(note.content).toContain(text);
    await h.waitForLog('mask refused');
    expect(h.sim.submits('action')).toHaveLength(1); // the setup's U1 only
    expect(h.sim.submits('modal')).toHaveLength(0);
    // The placeholder of the refused request does not stay behind.
    const placeholders = [...h.discord.messages.values()].filter(
      (m) => !m.ephemeral && !m.deleted && m.content === '',
    );
    expect(placeholders).toHaveLength(0);
  });
});
