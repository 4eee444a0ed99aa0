import { afterEach, describe, expect, it } from 'vitest';
import { click, finishedUpscale, nextSubmit } from '../support/flows.js';
import { alice, bob, finishTask, GRID_LABELS, Harness, labelsOf } from '../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('Custom Zoom', () => {
  it('opens its pop-up as the first answer, before any upstream call, pre-filled with the prompt and --zoom 2', async () => {
    h = await Harness.start();
    const { up } = await finishedUpscale(h);
    const requests = h.sim.requests.length;
    const open = await click(h, up, 'Custom Zoom').response;
    expect(open.type).toBe(9);
    expect(open.data.title).toBe('Custom Zoom');
    expect(open.data.components[0].component.value).toBe('a red fox in the snow --zoom 2');
    expect(h.sim.requests.length).toBe(requests);
  });

  it.each([
    ['a red fox in the snow --zoom 3', 'The zoom must be from 1.0 to 2.0 (you gave 3).'],
    ['a red fox in the snow --zoom 0.5', 'The zoom must be from 1.0 to 2.0 (you gave 0.5).'],
    ['a red fox in the snow', 'Add --zoom with a value from 1.0 to 2.0 to the prompt, e.g. --zoom 1.5.'],
  ])('refuses %s with a clear message and sends nothing', async (prompt, message) => {
    h = await Harness.start();
    const { up } = await finishedUpscale(h);
    const open = await click(h, up, 'Custom Zoom').response;
    const answer = await h.discord.submitModal({
      customId: open.data.custom_id,
      fields: { prompt },
      user: alice,
    }).response;
    expect(answer.type).toBe(4);
    expect(answer.data.flags & 64).toBe(64);
    expect(answer.data.content).toBe(message);
    expect(h.sim.submits('action')).toHaveLength(1); // the U1 of the setup only
    expect(h.sim.submits('modal')).toHaveLength(0);
  });

  it.each([
    ['a proxy', false],
    ['an aggregator', true],
  ])(
    'a good zoom sends the action, then the prompt to /mj/submit/modal, in a new tracked message (%s)',
    async (_name, aggregator) => {
      h = await Harness.start({ sim: { aggregator } });
      const { up, upTask } = await finishedUpscale(h);
      const open = await click(h, up, 'Custom Zoom').response;
      const submitted = nextSubmit(h);
      const sent = h.discord.submitModal({
        customId: open.data.custom_id,
        fields: { prompt: 'a red fox in the snow --ar 3:2 --zoom 1.5' },
        user: alice,
      });
      expect((await sent.response).type).toBe(5);
      const child = await sent.message();
      await submitted;
      const action = h.sim.submits('action')[1];
      expect(action?.body).toMatchObject({
        taskId: upTask,
        customId: expect.stringMatching(/^MJ::CustomZoom::/),
      });
      const zoomTask = h.sim.lastTaskId();
      expect(h.sim.submits('modal')[0]?.body).toMatchObject({
        taskId: zoomTask,
        prompt: 'a red fox in the snow --ar 3:2 --zoom 1.5',
      });
      expect(h.sim.task(zoomTask).modalPrompt).toBe('a red fox in the snow --ar 3:2 --zoom 1.5');
      expect(child.id).not.toBe(up.id);
      expect(child.content).toContain('**a red fox in the snow --ar 3:2 --zoom 1.5** - Zoom Out by');
      expect(child.content).toContain(up.id);
      await finishTask(h);
      expect(child.content).toContain('(fast)');
      expect(labelsOf(child)).toEqual(GRID_LABELS);
    },
  );

  it('is refused to someone else before any pop-up', async () => {
    h = await Harness.start();
    const { up } = await finishedUpscale(h);
    const answer = await click(h, up, 'Custom Zoom', bob).response;
    expect(answer.type).toBe(4);
    expect(answer.data.content).toContain(`<@${alice.id}>`);
    expect(h.discord.modals).toHaveLength(0);
  });
});
