import { afterEach, describe, expect, it } from 'vitest';
import type { FakeUser } from '../../emulators/discord/index.js';
import { finishTask, GUILD, Harness, OTHER_CHANNEL } from '../support/harness.js';

const mei: FakeUser = { id: '300000000000000008', username: 'mei', locale: 'zh-CN' };
const prompt = (value: string) => [{ name: 'prompt', type: 3, value }];
const han = /[\u4e00-\u9fff]/;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('a zh-CN user', () => {
  it('gets Chinese status words, queue positions and refusals; the prompt is never translated', async () => {
    h = await Harness.start({ env: { MAX_CONCURRENT_PER_USER: '1' } });
    const first = await (await h.imagine('a red fox', mei)).message();
    expect(first.content).toBe(`**a red fox** - <@${mei.id}> (等待开始)`);
    const waiting = await (await h.imagine('a blue bird', mei)).message();
    expect(waiting.content).toBe(`**a blue bird** - <@${mei.id}> (排队中，第 1 位)`);
    await finishTask(h, 1);
    expect(first.content).toBe(`**a red fox** - <@${mei.id}> (快速)`);
    const refused = await h.run('imagine', mei, { options: prompt('   ') }).response;
    expect(refused.data.content).toBe('请输入提示词。');
  });

  it('gets /settings, /info and the server’s refusals in Chinese', async () => {
    h = await Harness.start({ env: { DAILY_QUOTA: '5' } });
    const panel = await h.run('settings', mei).message();
    expect(panel.content).toContain('**你的设置**');
    expect(panel.content).toContain('模式：默认（快速） · 模型：Midjourney');
    const labels = JSON.stringify(panel.components);
    expect(labels).toContain('慢速模式');
    expect(labels).toContain('私密结果');

    const info: string = (await h.run('info', mei).response).data.content;
    expect(info).toContain('**今日任务：** 0 / 5（剩余 5）');
    expect(info).toContain('没有进行中或排队的任务。');

    await h.run(
      'mj-admin',
      { ...mei, id: '300000000000000009' },
      {
        memberPermissions: '32',
        options: [
          { name: 'allow-channel', type: 1, options: [{ name: 'channel', type: 7, value: OTHER_CHANNEL }] },
        ],
      },
    ).response;
    const no = await h.run('imagine', mei, { options: prompt('a fox') }).response;
    expect(no.data.content).toBe(`这个频道不能使用机器人，请到 <#${OTHER_CHANNEL}> 使用。`);
  });

  it('finds every command, option and choice under a Chinese name and description', async () => {
    h = await Harness.start();
    const registered = h.discord.commands.guilds.get(GUILD) ?? [];
    const names = registered.map(
      (c: { name_localizations?: Record<string, string> }) => c.name_localizations?.['zh-CN'],
    );
    expect(names).toEqual(expect.arrayContaining(['想象', '设置', '信息', '帮助', '机器人管理']));
    const imagine = registered.find((c: { name: string }) => c.name === 'imagine');
    expect(imagine.description_localizations['zh-CN']).toMatch(han);
    for (const option of imagine.options) {
      expect(option.name_localizations['zh-CN'], option.name).toBeTruthy();
      expect(option.description_localizations['zh-CN'], option.name).toMatch(han);
    }
  });
});
