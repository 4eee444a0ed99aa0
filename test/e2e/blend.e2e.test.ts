import { afterEach, describe, expect, it } from 'vitest';
import { nextSubmit, png, str } from '../support/flows.js';
import { alice, customIdOf, finishTask, GRID_LABELS, Harness, labelsOf } from '../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('/blend end to end', () => {
  it('blends two images in Portrait, tracked and rendered like imagine', async () => {
    h = await Harness.start();
    const submitted = nextSubmit(h);
    const handle = h.run('blend', alice, {
      options: [str('dimensions', 'PORTRAIT')],
      attachments: [png('image1', 8, 8, 1), png('image2', 8, 8, 2)],
    });
    expect((await handle.response).type).toBe(5);
    const msg = await handle.message();
    expect(msg.content).toBe(`**Blend** - <@${alice.id}> (Waiting to start)`);
    await submitted;

    const [submit] = h.sim.submits('blend');
    expect(submit?.mode).toBe('fast');
    expect(submit?.body.dimensions).toBe('PORTRAIT');
    expect(submit?.body.base64Array).toHaveLength(2);
    for (const image of submit?.body.base64Array ?? [])
      expect(image).toMatch(/^data:image\/png;base64,iVBOR/);
    expect(submit?.body).not.toHaveProperty('botType');

    const taskId = h.sim.lastTaskId();
    h.sim.start(taskId);
    h.sim.progress(taskId, 40);
    await h.poll();
    expect(msg.content).toBe(`**Blend** - <@${alice.id}> (40%) (fast)`);
    h.sim.succeed(taskId);
    await h.poll();
    expect(msg.content).toBe(`**Blend** - <@${alice.id}> (fast)`);
    expect(msg.attachments).toHaveLength(1);
    expect(labelsOf(msg)).toEqual(GRID_LABELS);
  });

  it('takes five images and defaults to Square', async () => {
    h = await Harness.start();
    const submitted = nextSubmit(h);
    const names = ['image1', 'image2', 'image3', 'image4', 'image5'];
    const msg = await h.run('blend', alice, { attachments: names.map((n, i) => png(n, 4, 4, i)) }).message();
    await submitted;
    const [submit] = h.sim.submits('blend');
    expect(submit?.body.base64Array).toHaveLength(5);
    expect(submit?.body.dimensions).toBe('SQUARE');
    await finishTask(h);
    expect(msg.content).toContain('(fast)');
  });

  it('Retry on a failed blend sends the same images and dimensions again, as a new job', async () => {
    h = await Harness.start();
    let submitted = nextSubmit(h);
    const msg = await h
      .run('blend', alice, {
        options: [str('dimensions', 'LANDSCAPE')],
        attachments: [png('image1', 6, 4, 1), png('image2', 6, 4, 2), png('image3', 6, 4, 3)],
      })
      .message();
    await submitted;
    h.sim.fail(h.sim.lastTaskId(), 'Internal error');
    await h.poll();
    expect(msg.content).toContain('(Failed)');
    submitted = nextSubmit(h);
    const again = await h.discord
      .clickButton({ messageId: msg.id, customId: customIdOf(msg, 'Retry'), user: alice })
      .message();
    await submitted;
    const [first, second] = h.sim.submits('blend');
    expect(second?.body.base64Array).toEqual(first?.body.base64Array);
    expect(second?.body.dimensions).toBe('LANDSCAPE');
    await finishTask(h);
    expect(again.content).toContain(`**Blend** - <@${alice.id}> (fast)`);
  });

  it('refuses a file that is not an image, with nothing sent upstream', async () => {
    h = await Harness.start();
    const handle = h.run('blend', alice, {
      attachments: [
        png('image1'),
        { filename: 'notes.png', contentType: 'image/png', data: Buffer.from('just text'), option: 'image2' },
      ],
    });
    const note = await h.discord.waitForMessage((m) => m.ephemeral && m.content.includes('notes.png'));
    expect(note.content).toContain('is not a supported image');
    expect((await handle.response).type).toBe(5);
    expect(h.sim.submits('blend')).toHaveLength(0);
  });
});
