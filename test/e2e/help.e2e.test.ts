import { afterEach, describe, expect, it } from 'vitest';
import { alice, Harness } from '../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('/help', () => {
  it('lists every command with what it does and a cheat sheet of parameters, only to the asker', async () => {
    h = await Harness.start();
    const response = await h.run('help').response;
    expect(response.type).toBe(4);
    expect(response.data.flags & 64).toBe(64);
    const embed = response.data.embeds[0];
    expect(embed.title).toBe('Midjourney bot — help');
    for (const name of ['imagine', 'blend', 'describe', 'shorten', 'settings', 'info', 'help', 'mj-admin']) {
      expect(embed.description).toContain(`**/${name}** — `);
    }
    expect(embed.description).toContain('Create images from a prompt');
    expect(embed.description).toMatch(/`--ar 16:9` aspect ratio/);
    expect(embed.description).toContain('`--no text`');
    expect(embed.description).toContain('✉️');
  });

  it('answers in Simplified Chinese, with the commands under their Chinese names', async () => {
    h = await Harness.start();
    const response = await h.run('help', alice, { locale: 'zh-CN' }).response;
    const embed = response.data.embeds[0];
    expect(embed.title).toBe('Midjourney 机器人 — 帮助');
    expect(embed.description).toContain('**/设置** — 查看和修改你的设置');
    expect(embed.description).toContain('根据提示词生成图片');
    expect(embed.description).toContain('`--ar 16:9` 宽高比');
    expect(embed.description).not.toContain('aspect ratio');
  });

  it('works in a DM too', async () => {
    h = await Harness.start();
    const response = await h.run('help', alice, { dm: true }).response;
    expect(response.data.embeds[0].title).toBe('Midjourney bot — help');
  });
});
