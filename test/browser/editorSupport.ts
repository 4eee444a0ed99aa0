import { Jimp } from 'jimp';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import type { FakeMessage, FakeUser } from '../../emulators/discord/index.js';
import { freePort } from '../../emulators/freePort.js';
import { click } from '../support/flows.js';
import type { Harness } from '../support/harness.js';

export const CALLBACK_SECRET = 'editor-test-callback-secret-0123';

/** The env that turns the editor on: the bot's HTTP server on loopback, PUBLIC_URL pointing at it. */
export async function editorEnv(): Promise<Record<string, string>> {
  const port = await freePort();
  return {
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    HTTP_PORT: String(port),
    HTTP_HOST: '127.0.0.1',
    CALLBACK_SECRET,
  };
}

/** Debian's Chromium, headless, offline; `launch` gives it a fresh temporary profile. */
export async function launchChromium(): Promise<{ browser: Browser; close(): Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
    },
  };
}

/** Presses Vary (Region) on `message`; the ephemeral answer's link button URL. */
export async function editorLink(h: Harness, message: FakeMessage, user?: FakeUser) {
  const handle = click(h, message, 'Vary (Region)', user);
  const answer = await handle.response;
  const data = answer.data as {
    flags?: number;
    content?: string;
    components?: Array<{ components: Array<Record<string, unknown>> }>;
  };
  const button = data.components?.[0]?.components[0] ?? {};
  return {
    answer,
    flags: data.flags ?? 0,
    content: data.content ?? '',
    button,
    url: String(button.url ?? ''),
  };
}

/** Opens the editor page and waits for its image. */
export async function openEditor(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector('#stage.ready');
  return page;
}

/** A point of the image, as fractions of its width and height, in page coordinates. */
export async function stagePoint(page: Page, fx: number, fy: number): Promise<{ x: number; y: number }> {
  const box = await page.locator('#canvas').boundingBox();
  if (!box) throw new Error('no canvas');
  return { x: box.x + box.width * fx, y: box.y + box.height * fy };
}

/** A drag with the mouse between two points of the image (fractions), in `steps` moves. */
export async function mouseDrag(page: Page, from: [number, number], to: [number, number], steps = 8) {
  const a = await stagePoint(page, ...from);
  const b = await stagePoint(page, ...to);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps });
  await page.mouse.up();
}

/** A finger drawing through `points` (fractions of the image), as touch events a phone sends. */
export async function touchPath(page: Page, points: Array<[number, number]>): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const at = await Promise.all(points.map(([x, y]) => stagePoint(page, x, y)));
  const [first, ...rest] = at;
  if (!first) return;
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [first] });
  for (const p of rest) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [p] });
  // The finger rests before it lifts (no fling, which would swallow the next tap).
  const last = at[at.length - 1] ?? first;
  for (let i = 0; i < 3; i++)
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [last] });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

/** A mask PNG as the upstream received it (a data URL): its size and a reader of its pixels (0–255 grey). */
export async function decodeMask(dataUrl: string) {
  const m = /^data:image\/png;base64,(.+)$/.exec(dataUrl);
  if (!m?.[1]) throw new Error(`not a PNG data URL: ${dataUrl.slice(0, 40)}`);
  const image = await Jimp.read(Buffer.from(m[1], 'base64'));
  const { width, height, data } = image.bitmap;
  /** The pixel at fractions of the width and height: its grey level (r, g and b are equal in a mask). */
  const at = (fx: number, fy: number) => {
    const i = (Math.floor(fy * height) * width + Math.floor(fx * width)) * 4;
    return { r: data[i], g: data[i + 1], b: data[i + 2], a: data[i + 3] };
  };
  return { width, height, at };
}
