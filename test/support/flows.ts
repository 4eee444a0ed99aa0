/**
 * Steps the command and pop-up e2e tests share: option and attachment builders, clicks, reaching a finished grid or
 * upscale. Commands run through `h.run` / `h.imagine` (one launcher, `runCommand`), tasks finish through
 * `finishTask`, buttons are found by `customIdOf` (all in harness.ts).
 */
import type {
  CommandOption,
  FakeAttachmentSpec,
  FakeMessage,
  FakeUser,
  InteractionHandle,
} from '../../emulators/discord/index.js';
import { makePng } from '../../emulators/midjourney/index.js';
import { alice, customIdOf, finishTask, type Harness } from './harness.js';

/** A string option (type 3). */
export const str = (name: string, value: string): CommandOption => ({ name, type: 3, value });

/** A PNG attachment bound to the option `option`. */
export function png(option: string, width = 8, height = 8, seed = 1): FakeAttachmentSpec {
  return { filename: `${option}.png`, contentType: 'image/png', data: makePng(width, height, seed), option };
}

/** Number of submits the upstream accepted so far. */
export function submitCount(h: Harness): number {
  return h.submits();
}

/** Resolves with the next accepted submit's job event (registered now, so nothing is missed). */
export function nextSubmit(h: Harness): ReturnType<Harness['submitted']> {
  return h.submitted(submitCount(h) + 1);
}

/** `/imagine prompt`, run to its finished grid. */
export async function finishedGrid(h: Harness, prompt = 'a red fox in the snow', user: FakeUser = alice) {
  const submitted = nextSubmit(h);
  const grid = await (await h.imagine(prompt, user)).message();
  await submitted;
  const taskId = await finishTask(h);
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
  const upTask = await finishTask(h, 1, image ? { imageBytes: image } : undefined);
  return { grid, gridTask, up, upTask };
}
