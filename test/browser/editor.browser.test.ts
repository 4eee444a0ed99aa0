import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makePng } from '../../emulators/midjourney/index.js';
import { systemClock } from '../../src/util/clock.js';
import { finishedUpscale } from '../support/flows.js';
import { alice, bob, CHANNEL, GUILD, Harness } from '../support/harness.js';
import {
  decodeMask,
  editorEnv,
  editorLink,
  launchChromium,
  mouseDrag,
  openEditor,
  touchPath,
} from './editorSupport.js';

// The page's own globals, for the callbacks that run inside Chromium (the test program has no DOM library).
interface PageElement {
  textContent: string | null;
  getAttribute(name: string): string | null;
}
interface PageImage extends PageElement {
  src: string;
  complete: boolean;
  naturalWidth: number;
}
declare const document: {
  querySelector(selector: string): PageElement | null;
  getElementById(id: string): PageElement | null;
};

/** The upscaled image: 640×360 (16:9), so the mask must be 640×360 too. */
const IMAGE = makePng(640, 360, 5);
const PROMPT = 'a red fox in the snow';

let h: Harness | undefined;
let chrome: Awaited<ReturnType<typeof launchChromium>>;

beforeAll(async () => {
  chrome = await launchChromium();
});
afterAll(async () => {
  await chrome?.close();
});
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Upstream requests other than image downloads: what a refused link must not add to. */
/** `npm run screenshots` refreshes docs/images/editor*.png; a plain test run writes nothing into the tree. */
const SCREENSHOTS = process.env.SCREENSHOTS === '1';
const upstreamCalls = (harness: Harness) => harness.sim.requests.filter((r) => r.endpoint !== 'img').length;

async function upscaled(harness: Harness) {
  return finishedUpscale(harness, PROMPT, IMAGE);
}

describe('Vary (Region) editor in the browser', () => {
  it('paints a rectangle and a brush stroke; the upstream gets that mask and the prompt; a link works once', async () => {
    h = await Harness.start({ env: await editorEnv() });
    const { up, upTask } = await upscaled(h);
    const before = upstreamCalls(h);
    const link = await editorLink(h, up);
    expect(link.answer.type).toBe(4);
    expect(link.flags & 64).toBe(64); // only the presser sees it
    expect(link.content).toContain('15 minutes');
    expect(link.button).toMatchObject({ type: 2, style: 5, label: 'Open the editor' });
    expect(link.url).toMatch(new RegExp(`^${h.config.publicUrl}/editor/[\\w-]+\\.[\\w-]+$`));
    expect(upstreamCalls(h)).toBe(before); // nothing asked upstream for a link

    const context = await chrome.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await openEditor(context, link.url);
    const response = await page.request.get(link.url);
    expect(response.headers()['content-security-policy']).toContain("default-src 'none'; script-src 'self'");
    expect(response.headers()['x-content-type-options']).toBe('nosniff');
    expect(response.headers()['referrer-policy']).toBe('no-referrer');
    // The image comes from the bot, not from the upstream's address.
    const src = await page.locator('#stage img').evaluate((img) => (img as PageImage).src);
    expect(src.startsWith(`${h.config.publicUrl}/editor/`)).toBe(true);
    expect(await page.locator('#prompt').inputValue()).toBe(PROMPT);

    await mouseDrag(page, [0.1, 0.1], [0.4, 0.5]); // rectangle: the default tool
    await page.click('#tool-brush');
    await mouseDrag(page, [0.6, 0.75], [0.9, 0.75], 12);
    await page.click('#undo');
    await page.click('#redo');
    await page.fill('#prompt', 'a red fox wearing a scarf');
    mkdirSync('docs/images', { recursive: true });
    if (SCREENSHOTS) await page.screenshot({ path: 'docs/images/editor.png' });

    await page.click('#submit');
    await waitSent(page);
    const jump = await page.locator('#jump').getAttribute('href');
    await h.submitted(3); // imagine, U1, then this one

    const action = h.sim.submits('action')[1];
    expect(action?.body).toMatchObject({ taskId: upTask, customId: expect.stringMatching(/^MJ::Inpaint::/) });
    const [modal] = h.sim.submits('modal');
    expect(modal?.body.prompt).toBe('a red fox wearing a scarf');
    const mask = await decodeMask(String(modal?.body.maskBase64));
    expect([mask.width, mask.height]).toEqual([640, 360]);
    for (const [x, y] of [
      [0.25, 0.3], // inside the rectangle
      [0.12, 0.12],
      [0.38, 0.48],
      [0.75, 0.75], // on the brush stroke
      [0.62, 0.75],
    ] as const) {
      expect(mask.at(x, y), `white at ${x},${y}`).toMatchObject({ r: 255, g: 255, b: 255, a: 255 });
    }
    for (const [x, y] of [
      [0.02, 0.02],
      [0.5, 0.3], // between the two
      [0.75, 0.6], // above the stroke
      [0.75, 0.9], // below it
      [0.98, 0.98],
      [0.05, 0.55],
    ] as const) {
      expect(mask.at(x, y), `black at ${x},${y}`).toMatchObject({ r: 0, g: 0, b: 0, a: 255 });
    }

    // The child job: a new message in the channel replying to the parent, where the page's link points.
    const child = await h.waitFor((m) => m.content.includes('a red fox wearing a scarf') && !m.ephemeral);
    expect(child.channelId).toBe(CHANNEL);
    expect(child.messageReference).toMatchObject({ message_id: up.id });
    expect(jump).toBe(`https://discord.com/channels/${GUILD}/${CHANNEL}/${child.id}`);

    // Used: the page says so, a second submit is refused, and nothing more reaches the upstream.
    const sent = upstreamCalls(h);
    const again = await context.newPage();
    const reopened = await again.goto(link.url);
    expect(reopened?.status()).toBe(410);
    expect(await again.locator('#reason').textContent()).toContain('already used');
    const resend = await again.request.post(`${link.url}/submit`, {
      data: { prompt: 'again', mask: modal?.body.maskBase64 },
    });
    expect(resend.status()).toBe(410);
    expect(upstreamCalls(h)).toBe(sent);
    await context.close();
  });

  it("refuses a forged link and someone else's, and sends nothing upstream", async () => {
    h = await Harness.start({ env: await editorEnv() });
    const { up } = await upscaled(h);
    const { url } = await editorLink(h, up);
    const before = upstreamCalls(h);
    const context = await chrome.browser.newContext();
    const page = await context.newPage();
    const mask = `data:image/png;base64,${makePng(640, 360).toString('base64')}`;

    const token = url.slice(url.lastIndexOf('/') + 1);
    const forged = `${url.slice(0, url.lastIndexOf('/') + 1)}${token.slice(0, 10)}${token[10] === 'A' ? 'B' : 'A'}${token.slice(11)}`;
    expect((await page.goto(forged))?.status()).toBe(403);
    expect(await page.locator('#reason').textContent()).toContain('not valid');
    const post = await page.request.post(`${forged}/submit`, { data: { prompt: 'x', mask } });
    expect(post.status()).toBe(403);

    // Bob's link on Alice's job (as if made before the server's policy changed): the press is checked again.
    const bobs = h.bot.ctx.regionEditor?.urlFor({
      jobId: jobIdOf(url),
      index: indexOf(url),
      userId: bob.id,
      locale: 'zh-CN',
      guildId: GUILD,
      channelId: CHANNEL,
      manager: false,
    });
    expect((await page.goto(String(bobs)))?.status()).toBe(403);
    expect(await page.locator('#reason').textContent()).toContain('你无权');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    const bobPost = await page.request.post(`${bobs}/submit`, { data: { prompt: 'x', mask } });
    expect(bobPost.status()).toBe(403);
    expect(upstreamCalls(h)).toBe(before);
    await context.close();
  });

  it('refuses an expired link (injected clock) and sends nothing upstream', async () => {
    let offset = 0;
    const clock = { ...systemClock, now: () => Date.now() + offset };
    h = await Harness.start({ env: await editorEnv(), bot: { clock } });
    const { up } = await upscaled(h);
    const { url } = await editorLink(h, up);
    const before = upstreamCalls(h);
    offset = 15 * 60_000;
    const context = await chrome.browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    expect((await page.goto(url))?.status()).toBe(410);
    expect(await page.locator('#reason').textContent()).toContain('expired');
    const mask = `data:image/png;base64,${makePng(640, 360).toString('base64')}`;
    expect((await page.request.post(`${url}/submit`, { data: { prompt: 'x', mask } })).status()).toBe(410);
    expect(upstreamCalls(h)).toBe(before);
    await context.close();
  });

  it('works with a finger on a phone-sized screen', async () => {
    h = await Harness.start({ env: await editorEnv() });
    const { up } = await upscaled(h);
    const { url } = await editorLink(h, up, alice);
    const context = await chrome.browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const page = await openEditor(context, url);
    await page.tap('#tool-lasso');
    await touchPath(page, [
      [0.3, 0.2],
      [0.7, 0.2],
      [0.75, 0.6],
      [0.5, 0.85],
      [0.25, 0.6],
    ]);
    await page.click('#tool-brush'); // see the note at the submit below
    await touchPath(page, [
      [0.05, 0.9],
      [0.2, 0.9],
    ]);
    if (SCREENSHOTS) await page.screenshot({ path: 'docs/images/editor-phone.png' });
    // Headless Chromium swallows a tap that follows a touch stroke (its tap suppression), so buttons after the
    // first stroke are clicked; the strokes themselves are touch events.
    await page.click('#submit');
    await waitSent(page);
    await h.submitted(3);
    const mask = await decodeMask(String(h.sim.submits('modal')[0]?.body.maskBase64));
    expect([mask.width, mask.height]).toEqual([640, 360]);
    expect(mask.at(0.5, 0.45)).toMatchObject({ r: 255, g: 255, b: 255 }); // inside the lasso
    expect(mask.at(0.1, 0.9)).toMatchObject({ r: 255, g: 255, b: 255 }); // the brush
    expect(mask.at(0.9, 0.1)).toMatchObject({ r: 0, g: 0, b: 0 });
    await context.close();
  });
});

/** Waits until the page says the job was sent (polled: the status changes without a frame being drawn). */
async function waitSent(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelector('#status.done'), null, {
    polling: 50,
    timeout: 10_000,
  });
}

/** The job and button a link was made for (read back from its signed payload). */
function claimsOf(url: string): { jobId: string; index: number } {
  const token = url.slice(url.lastIndexOf('/') + 1);
  return JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8'));
}
const jobIdOf = (url: string) => claimsOf(url).jobId;
const indexOf = (url: string) => claimsOf(url).index;
