/**
 * The playground in a real browser (Debian's Chromium through playwright-core): the real bot as a child process,
 * the local Discord and the simulator (fast timings), driven by clicks and typing on the page as a person would:
 * slash commands, buttons and pop-ups, then a message's Apps menu (message context-menu commands).
 * With PLAYGROUND_SCREENSHOTS=1 it also writes docs/images/playground-grid.png and playground-popup.png.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePng } from '../../emulators/midjourney/index.js';
import { type Playground, startPlayground } from '../../playground/playground.js';
import { USERS } from '../../playground/world.js';
import { launchChromium } from './editorSupport.js';

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
declare const window: unknown;
declare class MutationObserver {
  constructor(callback: () => void);
  observe(
    target: PageElement,
    options: { subtree: boolean; childList: boolean; characterData: boolean },
  ): void;
}

const IMAGES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'images');
const SCREENSHOTS = process.env.PLAYGROUND_SCREENSHOTS === '1';

let playground: Playground;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
let dir: string;
const logs: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mj-playground-'));
  // About 5x faster than real: a grid in 4–8 s, slow enough for progress edits to show.
  playground = await startPlayground({ dataDir: dir, speed: 0.35, log: (l) => logs.push(l) });
  browser = await launchChromium();
  page = await browser.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(playground.url);
  await page.waitForSelector('body[data-ready="1"]');
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await playground?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The last message of the channel that has a button labelled `label`. */
const withButton = (label: string) =>
  page.locator('article.message', { has: page.locator(`button.btn[data-label="${label}"]`) }).last();

async function runImagine(p: Page, prompt: string): Promise<void> {
  await p.fill('#message-input', '/imag');
  await p.click('.command-item[data-command="imagine"]');
  await p.fill('[data-option="prompt"]', prompt);
  await p.press('[data-option="prompt"]', 'Enter');
}

describe('the playground in a browser', () => {
  it('runs /imagine to a grid, U1, Custom Zoom in a pop-up, and refuses another member the buttons', async () => {
    // Every text the message list ever showed, to see the progress go by however fast it is.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seen: string[] }).seen = seen;
      const list = document.getElementById('messages') as PageElement;
      new MutationObserver(() => seen.push(list.textContent ?? '')).observe(list, {
        subtree: true,
        childList: true,
        characterData: true,
      });
    });
    await runImagine(page, 'a lighthouse at dawn, oil painting');

    const grid = withButton('U1');
    await grid.waitFor({ timeout: 30_000 });
    const labels = await grid
      .locator('button.btn')
      .evaluateAll((all) => all.map((b) => b.getAttribute('data-label')));
    expect(labels).toEqual(['U1', 'U2', 'U3', 'U4', '🔄', 'V1', 'V2', 'V3', 'V4', '🌱', '✉️', '🗑️']);
    const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen.join('\n'));
    expect(seen).toMatch(/\(\d+%\)/);
    const image = grid.locator('.embed-image, .attachments img').first();
    await image.waitFor();
    expect(await image.evaluate((img: PageImage) => img.complete && img.naturalWidth)).toBe(512);
    if (SCREENSHOTS) await page.screenshot({ path: join(IMAGES, 'playground-grid.png') });

    await grid.locator('button.btn[data-label="U1"]').click();
    const upscale = withButton('Custom Zoom');
    await upscale.waitFor({ timeout: 30_000 });
    expect(await upscale.locator('a.jump').count()).toBeGreaterThan(0); // the jump to its grid

    await upscale.locator('button.btn[data-label="Custom Zoom"]').click();
    const popup = page.locator('.modal');
    await popup.waitFor();
    expect(await popup.locator('textarea, input[type="text"]').first().inputValue()).toMatch(/lighthouse/);
    if (SCREENSHOTS) await page.screenshot({ path: join(IMAGES, 'playground-popup.png') });
    await popup
      .locator('textarea, input[type="text"]')
      .first()
      .fill('a lighthouse at dawn, oil painting --zoom 1.8');
    await popup.locator('button.submit').click();
    await popup.waitFor({ state: 'detached' });
    const zoomed = page.locator('article.message', { hasText: '--zoom 1.8' }).last();
    await zoomed.waitFor({ timeout: 30_000 });

    await page.selectOption('#user-switch', USERS[1]?.id ?? '');
    await withButton('U2').locator('button.btn[data-label="U2"]').click();
    const refusal = page.locator('article.message.ephemeral', { hasText: /Only @?olivia/ });
    await refusal.waitFor({ timeout: 15_000 });
    expect(await refusal.textContent()).toContain('Only you can see this');
  }, 120_000);

  it('posts an image, describes it from its Apps menu, and refuses a message with no image (in Chinese)', async () => {
    await page.selectOption('#user-switch', USERS[0]?.id ?? '');
    await page.setInputFiles('#message-files', {
      name: 'photo.png',
      mimeType: 'image/png',
      buffer: makePng(64, 64, 3),
    });
    await page.fill('#message-input', 'my photo');
    await page.press('#message-input', 'Enter');
    const photo = page.locator('article.message', { hasText: 'my photo' }).last();
    await photo.locator('.attachments img').waitFor();

    await photo.click({ button: 'right' }); // right-click → the message's context menu
    const menu = page.locator('#context-menu');
    await menu.waitFor();
    expect(await menu.locator('.ctx-section').textContent()).toBe('Apps');
    const apps = await menu
      .locator('[data-menu-command]')
      .evaluateAll((all) => all.map((b) => b.textContent));
    expect(apps).toEqual(['Describe image', 'Imagine from image', 'Blend images']);
    await menu.locator('[data-menu-command="Describe image"]').click();
    await menu.waitFor({ state: 'detached' });
    const described = withButton('Imagine all'); // the describe result's buttons
    await described.waitFor({ timeout: 20_000 });
    expect(await described.locator('.reply-line').textContent()).toContain('used Describe image');

    await page.click('[data-lang="zh-CN"]');
    await page.fill('#message-input', 'just words');
    await page.press('#message-input', 'Enter');
    const words = page.locator('article.message', { hasText: 'just words' }).last();
    await words.hover();
    await words.locator('button.more').click(); // the "⋯" (what touch screens show)
    await menu.locator('[data-menu-command="Describe image"]', { hasText: '描述图片' }).click();
    const refusal = page.locator('article.message.ephemeral', { hasText: '这条消息里没有可用的图片' });
    await refusal.waitFor({ timeout: 15_000 });
    expect(await refusal.textContent()).toContain('仅你可见');
  }, 60_000);
});
