import { afterEach, describe, expect, it } from 'vitest';
import { MjSimulator, type SimOptions } from '../../emulators/midjourney/index.js';
import type { MjClient } from '../../src/upstream/client.js';
import { clientFor, expectMjError } from './helpers.js';

let sim: MjSimulator;
let client: MjClient;
async function boot(opts?: SimOptions): Promise<void> {
  sim = await MjSimulator.start(opts);
  client = clientFor(sim);
}
afterEach(async () => {
  await sim.close();
});

/** imagine → SUCCESS grid; optionally U1 → SUCCESS single image. Returns the task and its buttons. */
async function finished(upscaled = false) {
  const { taskId } = await client.imagine({ prompt: 'a red fox --ar 3:2' });
  sim.complete(taskId);
  const grid = await client.fetch(taskId);
  if (!grid) throw new Error('no grid');
  if (!upscaled) return grid;
  const u1 = grid.buttons.find((b) => b.label === 'U1')?.customId ?? '';
  const up = await client.action({ taskId, customId: u1 });
  sim.complete(up.taskId);
  const single = await client.fetch(up.taskId);
  if (!single) throw new Error('no upscale');
  return single;
}
const button = (task: { buttons: { customId: string }[] }, prefix: string) =>
  task.buttons.find((b) => b.customId.startsWith(prefix))?.customId ?? `missing ${prefix}`;

describe('simulator /submit/action (via MjClient)', () => {
  it('U1 creates an UPSCALE child carrying the parent prompt, parentId and customId; single-image buttons', async () => {
    await boot();
    const single = await finished(true);
    const child = sim.task(single.id);
    expect(child).toMatchObject({
      action: 'UPSCALE',
      prompt: 'a red fox --ar 3:2',
      customId: expect.stringMatching(/^MJ::JOB::upsample::1::/),
    });
    expect(single.properties.parentId).toBe(child.parentId);
    expect(single.buttons.map((b) => b.label).slice(0, 5)).toEqual([
      'Upscale (Subtle)',
      'Upscale (Creative)',
      'Vary (Subtle)',
      'Vary (Strong)',
      'Vary (Region)',
    ]);
    expect(single.buttons.map((b) => b.emoji)).toEqual(
      expect.arrayContaining(['⬅️', '➡️', '⬆️', '⬇️', '❤️', '🔍']),
    );
    const hd = await client.action({
      taskId: single.id,
      customId: button(single, 'MJ::JOB::upsample_v6r1_2x_subtle'),
    });
    sim.complete(hd.taskId);
    const hdTask = await client.fetch(hd.taskId);
    expect(hdTask?.action).toBe('UPSCALE_HD');
    expect(hdTask?.buttons.some((b) => b.customId.includes('upsample_'))).toBe(false);
  });

  it('reroll keeps the parent action (UPSCALE → IMAGINE); Zoom Out is a plain ZOOM; buttons can be overridden', async () => {
    await boot();
    const grid = await finished();
    const again = await client.action({ taskId: grid.id, customId: button(grid, 'MJ::JOB::reroll') });
    expect(sim.task(again.taskId).action).toBe('IMAGINE');
    const single = await finished(true);
    const zoom = await client.action({ taskId: single.id, customId: button(single, 'MJ::Outpaint::50') });
    expect(zoom.kind).toBe('accepted');
    expect(sim.task(zoom.taskId).action).toBe('ZOOM');
    const reroll = { customId: 'MJ::JOB::reroll::0::h::SOLO', emoji: '🔄', label: '', style: 2, type: 2 };
    const { taskId } = await client.action({
      taskId: grid.id,
      customId: button(grid, 'MJ::JOB::upsample::2'),
    });
    sim.complete(taskId, { buttons: [reroll] });
    expect((await client.fetch(taskId))?.buttons).toEqual([reroll]);
    const child = await client.action({ taskId, customId: reroll.customId });
    expect(sim.task(child.taskId).action).toBe('IMAGINE');
  });

  it('Custom Zoom → modal with the parent prompt; /modal keeps the id and re-queues it', async () => {
    await boot();
    const single = await finished(true);
    const res = await client.action({ taskId: single.id, customId: button(single, 'MJ::CustomZoom::') });
    expect(res).toMatchObject({ kind: 'modal', code: 21, finalPrompt: 'a red fox --ar 3:2' });
    expect((await client.fetch(res.taskId))?.status).toBe('MODAL');
    const confirmed = await client.modal({ taskId: res.taskId, prompt: 'a red fox --ar 3:2 --zoom 1.5' });
    expect(confirmed).toMatchObject({ kind: 'accepted', code: 1, taskId: res.taskId });
    const task = await client.fetch(res.taskId);
    expect(task).toMatchObject({ status: 'NOT_START', prompt: 'a red fox --ar 3:2 --zoom 1.5' });
    await expectMjError(client.modal({ taskId: res.taskId, prompt: 'again' }), 'rejected');
  });

  it('Vary (Region) → modal with an empty finalPrompt; the mask is recorded', async () => {
    await boot();
    const single = await finished(true);
    const res = await client.action({ taskId: single.id, customId: button(single, 'MJ::Inpaint::') });
    expect(res).toMatchObject({ kind: 'modal', finalPrompt: '' });
    await client.modal({
      taskId: res.taskId,
      prompt: 'a blue hat',
      maskBase64: 'data:image/png;base64,AAAA',
    });
    expect(sim.task(res.taskId)).toMatchObject({
      modalPrompt: 'a blue hat',
      mask: 'data:image/png;base64,AAAA',
    });
  });

  it('refusals: bookmark, unknown button, parent not finished, unknown parent, unknown modal task', async () => {
    await boot();
    const single = await finished(true);
    const bookmark = await expectMjError(
      client.action({ taskId: single.id, customId: button(single, 'MJ::BOOKMARK') }),
      'rejected',
    );
    expect(bookmark).toMatchObject({ code: 4, description: '未知的 Action 类型' });
    await expectMjError(
      client.action({ taskId: single.id, customId: 'MJ::JOB::variation::1::other' }),
      'rejected',
    );
    const { taskId: running } = await client.imagine({ prompt: 'y' });
    const state = await expectMjError(
      client.action({ taskId: running, customId: 'MJ::JOB::upsample::1::h' }),
      'rejected',
    );
    expect(state.description).toBe('关联任务状态错误');
    const gone = await expectMjError(
      client.action({ taskId: '42', customId: 'MJ::JOB::upsample::1::h' }),
      'not_found',
    );
    expect(gone).toMatchObject({ code: 3, httpStatus: 404 });
    await expectMjError(client.modal({ taskId: '42', prompt: 'x' }), 'not_found');
  });

  it('remix: enableRemix on V1 → code 21 modal', async () => {
    await boot();
    const grid = await finished();
    const res = await client.action({
      taskId: grid.id,
      customId: button(grid, 'MJ::JOB::variation::1'),
      enableRemix: true,
    });
    expect(res).toMatchObject({ kind: 'modal', finalPrompt: 'a red fox --ar 3:2' });
  });

  it('describe and shorten results, and their refused buttons', async () => {
    await boot();
    const d = await client.describe({ link: 'https://example.com/cat.png' });
    sim.complete(d.taskId);
    const desc = await client.fetch(d.taskId);
    expect(desc?.promptEn?.split('\n\n')).toHaveLength(4);
    expect(desc?.promptEn).toMatch(/^1️⃣ .+ --ar 5:4\n\n2️⃣ /);
    expect(desc?.properties.finalPrompt).toBe(desc?.promptEn);
    expect(desc?.buttons.map((b) => b.customId)).toContain('MJ::Picread::Retry');
    await expectMjError(client.action({ taskId: d.taskId, customId: 'MJ::Job::PicReader::1' }), 'rejected');
    const s = await client.shorten({ prompt: 'appdash appdash, in the style of expert draftsmanship' });
    sim.complete(s.taskId);
    const short = await client.fetch(s.taskId);
    const text = String(short?.properties.finalPrompt);
    expect(text).toMatch(/^## Important tokens\n.+\n## Shortened prompts\n1️⃣ /);
    expect(text.split('## Shortened prompts\n')[1]?.split('\n\n')).toHaveLength(5);
    expect(short?.buttons.map((b) => b.customId)).toContain('MJ::Job::PromptAnalyzer::5');
  });
});

describe('simulator as seen through an aggregator', () => {
  it("status '' after submit; remix modal answered as code 1 with the task in MODAL", async () => {
    await boot({ aggregator: true });
    const grid = await finished();
    const res = await client.action({
      taskId: grid.id,
      customId: button(grid, 'MJ::JOB::variation::2'),
      enableRemix: true,
    });
    expect(res).toMatchObject({ kind: 'accepted', code: 1 });
    expect((await client.fetch(res.taskId))?.status).toBe('MODAL');
    const { taskId } = await client.imagine({ prompt: 'z' });
    expect((await client.fetch(taskId))?.status).toBe('');
  });

  it('Custom Zoom / Inpaint still code 21; refused actions → unsupported (400 unknown_action)', async () => {
    await boot({ aggregator: true });
    const single = await finished(true);
    const zoom = await client.action({ taskId: single.id, customId: button(single, 'MJ::CustomZoom::') });
    expect(zoom.kind).toBe('modal');
    const customId = button(single, 'MJ::BOOKMARK');
    const err = await expectMjError(client.action({ taskId: single.id, customId }), 'unsupported');
    expect(err).toMatchObject({ httpStatus: 400, code: 4, description: `unknown_action:${customId}` });
    await expectMjError(client.action({ taskId: '42', customId: 'MJ::JOB::upsample::1::h' }), 'not_found');
  });

  it('FAILURE keeps progress 100%', async () => {
    await boot({ aggregator: true });
    const { taskId } = await client.imagine({ prompt: 'z' });
    sim.start(taskId);
    sim.fail(taskId, '上游任务超时（超过1小时）');
    expect(await client.fetch(taskId)).toMatchObject({ status: 'FAILURE', progress: '100%' });
  });
});
