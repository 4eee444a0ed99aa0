import { afterEach, describe, expect, it } from 'vitest';
import type { MjButton } from '../../src/upstream/types.js';
import { click, finishedGrid, nextSubmit } from '../support/flows.js';
import { buttonOf, finishTask, Harness, labelsOf } from '../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const HASH = '3eaa7c0c-9825-4110-9c89-02c4e463a8d0';
const btn = (customId: string, label = '', emoji = ''): MjButton => ({
  customId,
  label,
  emoji,
  style: 2,
  type: 2,
});

/** A v5-era single image with every family the official bot shows, plus one the bot does not know. */
const SINGLE_V5: MjButton[] = [
  btn(`MJ::JOB::upsample_v5_2x::1::${HASH}::SOLO`, 'Upscale (2x)'),
  btn(`MJ::JOB::upsample_v5_4x::1::${HASH}::SOLO`, 'Upscale (4x)'),
  btn(`MJ::JOB::low_variation::1::${HASH}::SOLO`, 'Vary (Subtle)', '🪄'),
  btn(`MJ::JOB::high_variation::1::${HASH}::SOLO`, 'Vary (Strong)', '🪄'),
  btn(`MJ::Inpaint::1::${HASH}::SOLO`, 'Vary (Region)', '🖌️'),
  btn(`MJ::Outpaint::50::1::${HASH}::SOLO`, 'Zoom Out 2x', '🔍'),
  btn(`MJ::Outpaint::75::1::${HASH}::SOLO`, 'Zoom Out 1.5x', '🔍'),
  btn(`MJ::CustomZoom::${HASH}`, 'Custom Zoom', '🔍'),
  btn(`MJ::Outpaint::100::1::${HASH}::SOLO`, 'Make Square'),
  btn(`MJ::JOB::pan_left::1::${HASH}::SOLO`, '', '⬅️'),
  btn(`MJ::JOB::pan_right::1::${HASH}::SOLO`, '', '➡️'),
  btn(`MJ::JOB::pan_up::1::${HASH}::SOLO`, '', '⬆️'),
  btn(`MJ::JOB::pan_down::1::${HASH}::SOLO`, '', '⬇️'),
  btn(`MJ::JOB::animate_high::1::${HASH}::SOLO`, '', ''),
  btn(`MJ::JOB::animate_low::1::${HASH}::SOLO`, '', ''),
  btn(`MJ::JOB::upsample_v7_4x_turbo::1::${HASH}::SOLO`, 'Upscale (Turbo)', '⚡'),
  btn(`MJ::BOOKMARK::${HASH}`, '', '❤️'),
];

/** An imagine, then U1 finished with the v5 single-image buttons. */
async function v5Upscale(harness: Harness) {
  const { grid } = await finishedGrid(harness);
  const submitted = nextSubmit(harness);
  const up = await click(harness, grid, 'U1').message();
  await submitted;
  const upTask = await finishTask(harness, 1, { buttons: SINGLE_V5 });
  return { up, upTask };
}

describe('button families', () => {
  it('shows every family with the official labels and emoji, and leaves the bookmark out', async () => {
    h = await Harness.start();
    const { up } = await v5Upscale(h);
    const labels = labelsOf(up);
    for (const label of [
      'Upscale (2x)',
      'Upscale (4x)',
      'Vary (Subtle)',
      'Vary (Strong)',
      'Vary (Region)',
      'Zoom Out 2x',
      'Zoom Out 1.5x',
      'Custom Zoom',
      'Make Square',
      '⬅️',
      '➡️',
      '⬆️',
      '⬇️',
      'Animate (High motion)',
      'Animate (Low motion)',
      'Upscale (Turbo)',
    ]) {
      expect(labels).toContain(label);
    }
    expect(buttonOf(up, 'Vary (Strong)')?.emoji).toBe('🪄');
    expect(buttonOf(up, 'Vary (Region)')?.emoji).toBe('🖌️');
    expect(buttonOf(up, 'Custom Zoom')?.emoji).toBe('🔍');
    expect(buttonOf(up, 'Animate (High motion)')?.emoji).toBe('🎞️');
    expect(buttonOf(up, 'Upscale (Turbo)')?.emoji).toBe('⚡'); // unknown family: its own label and emoji
    expect(labels).not.toContain('❤️');
    expect(up.components.length).toBeLessThanOrEqual(5);
  });

  it.each([
    ['Upscale (2x)', 'upsample_v5_2x', 'Upscaled (2x) by'],
    ['Make Square', 'Outpaint::100', 'Make Square by'],
    ['Zoom Out 1.5x', 'Outpaint::75', 'Zoom Out by'],
    ['Animate (Low motion)', 'animate_low', 'Animation by'],
    ['Upscale (Turbo)', 'upsample_v7_4x_turbo', 'Upscale (Turbo) by'],
  ])('%s sends its own customId and is tracked in a new message', async (label, part, heading) => {
    h = await Harness.start();
    const { up, upTask } = await v5Upscale(h);
    const submitted = nextSubmit(h);
    const child = await click(h, up, label).message();
    await submitted;
    expect(h.sim.submits('action').at(-1)?.body).toMatchObject({
      taskId: upTask,
      customId: expect.stringContaining(part),
    });
    await finishTask(h);
    expect(child.content).toContain(heading);
  });
});

describe('families the upstream refuses', () => {
  it.each([
    ['an aggregator', true],
    ['a proxy', false],
  ])('a button %s does not take ends in a clear message, never an error dump', async (_name, aggregator) => {
    h = await Harness.start({ sim: { aggregator } });
    const { grid } = await finishedGrid(h);
    const submitted = nextSubmit(h);
    const up = await click(h, grid, 'U1').message();
    await submitted;
    // A button the bot does not know (so it shows it) and the upstream refuses.
    await finishTask(h, 1, { buttons: [btn(`MJ::JOB::remaster::1::${HASH}::SOLO`, 'Remaster', '🆕')] });
    expect(labelsOf(up)).toContain('Remaster');
    const child = await click(h, up, 'Remaster').message();
    await h.waitFor((m) => m.id === child.id && m.content.includes('(Failed)'));
    expect(child.content).toContain('Midjourney does not offer this button through this service.');
    expect(child.content).not.toMatch(/Error|stack|\{/);
  });
});
