/** Steps the command and pop-up e2e tests share: run a command, finish tasks, reach an upscaled image. */
import type { FakeAttachmentSpec, FakeMessage, FakeUser, InteractionHandle } from './fakeDiscord/index.js';
import { alice, CHANNEL, customIdOf, GUILD, type Harness } from './harness.js';
import { makePng } from './mjSimulator.js';

/** A slash command option as the fake takes it (3 = string). */
export interface Option {
  name: string;
  type: number;
  value: string | number | boolean;
}

/** `/name` with options (and attachments bound to options) in the guild channel, or in a DM. */
export function command(
  h: Harness,
  name: string,
  options: Option[] = [],
  opts: { user?: FakeUser; attachments?: FakeAttachmentSpec[]; dm?: boolean } = {},
): InteractionHandle {
  return h.discord.command({
    name,
    user: opts.user ?? alice,
    ...(opts.dm ? {} : { guildId: GUILD, channelId: CHANNEL }),
    options,
    attachments: opts.attachments ?? [],
  });
}

/** A string option. */
export const str = (name: string, value: string): Option => ({ name, type: 3, value });

/** A PNG attachment bound to the option `option`. */
export function png(option: string, width = 8, height = 8, seed = 1): FakeAttachmentSpec {
  return { filename: `${option}.png`, contentType: 'image/png', data: makePng(width, height, seed), option };
}

/** Number of submits the bot recorded so far. */
export function submitCount(h: Harness): number {
  return h.logs.filter((l) => (JSON.parse(l) as { msg?: string }).msg === 'submitted').length;
}

/** Resolves with the next `submitted` log line (registered now, so nothing is missed). */
export function nextSubmit(h: Harness): Promise<Record<string, unknown>> {
  return h.submitted(submitCount(h) + 1);
}

/** Runs the most recent task to SUCCESS through polls; returns its id. */
export async function finishLast(
  h: Harness,
  opts?: Parameters<Harness['sim']['succeed']>[1],
): Promise<string> {
  const taskId = h.sim.lastTaskId();
  h.sim.start(taskId);
  h.sim.progress(taskId, 50);
  await h.poll();
  h.sim.succeed(taskId, opts);
  await h.poll();
  return taskId;
}

/** `/imagine prompt`, run to its finished grid. */
export async function finishedGrid(h: Harness, prompt = 'a red fox in the snow', user: FakeUser = alice) {
  const submitted = nextSubmit(h);
  const grid = await (await h.imagine(prompt, user)).message();
  await submitted;
  const taskId = await finishLast(h);
  return { grid, taskId };
}

/** Clicks `label` on `message`; returns the interaction handle. */
export function click(
  h: Harness,
  message: FakeMessage,
  label: string,
  user: FakeUser = alice,
): InteractionHandle {
  return h.discord.clickButton({ messageId: message.id, customId: customIdOf(message, label), user });
}

/** An imagine run to its grid, then U1 run to its single image (`image`: its bytes) with the single-image buttons. */
export async function finishedUpscale(h: Harness, prompt = 'a red fox in the snow', image?: Buffer) {
  const { grid, taskId: gridTask } = await finishedGrid(h, prompt);
  const submitted = nextSubmit(h);
  const up = await click(h, grid, 'U1').message();
  await submitted;
  const upTask = await finishLast(h, image ? { imageBytes: image } : undefined);
  return { grid, gridTask, up, upTask };
}
