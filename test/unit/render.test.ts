import type { APIButtonComponentWithCustomId } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { COLORS } from '../../src/constants.js';
import type { FailureKind, Job, TaskSnapshot } from '../../src/jobs/types.js';
import { parseCustomId } from '../../src/render/customId.js';
import { imageFileName, type RenderedMessage, renderJob } from '../../src/render/message.js';
import type { MjButton } from '../../src/upstream/types.js';
import { makeSnapshot } from '../support/jobs.js';

const H = '3eaa7c0c-9825-4110-9c89-02c4e463a8d0';
const IMG = 'https://cdn.discordapp.com/attachments/1/2/fox_grid_0.webp?ex=1&is=2&hm=3&';
const b = (customId: string, label = '', emoji = '', style = 2): MjButton => ({
  customId,
  label,
  emoji,
  style,
  type: 2,
});
const GRID: MjButton[] = [
  ...[1, 2, 3, 4].map((n) => b(`MJ::JOB::upsample::${n}::${H}`, `U${n}`)),
  b(`MJ::JOB::reroll::0::${H}::SOLO`, '', '🔄'),
  ...[1, 2, 3, 4].map((n) => b(`MJ::JOB::variation::${n}::${H}`, `V${n}`)),
];
const SINGLE: MjButton[] = [
  b(`MJ::JOB::upsample_v6r1_2x_subtle::1::${H}::SOLO`, 'Upscale (Subtle)'),
  b(`MJ::JOB::upsample_v6r1_2x_creative::1::${H}::SOLO`, 'Upscale (Creative)'),
  b(`MJ::BOOKMARK::${H}`, '', '❤️'),
  b(`MJ::JOB::low_variation::1::${H}::SOLO`, 'Vary (Subtle)', '🪄'),
  b(`MJ::JOB::high_variation::1::${H}::SOLO`, 'Vary (Strong)', '🪄'),
  b(`MJ::JOB::pan_left::1::${H}::SOLO`, '', '⬅️'),
];

function task(over: Partial<TaskSnapshot> = {}): TaskSnapshot {
  return makeSnapshot({ progress: 45, imageUrl: IMG, mode: null, ...over });
}

function job(over: Partial<Job> = {}): Job {
  return {
    schemaVersion: 2,
    id: 'j1',
    kind: 'imagine',
    taskId: '1750000123456789',
    phase: 'tracking',
    prompt: 'a red fox in the snow --ar 3:2',
    ownerId: '42',
    locale: 'en-US',
    mode: 'fast',
    botType: null,
    message: { guildId: '7', channelId: '8', messageId: '9', interaction: null },
    parentJobId: null,
    actionLabel: null,
    parentMessageUrl: null,
    task: task(),
    failure: null,
    imageCount: 0,
    createdAt: 0,
    updatedAt: 0,
    deadlineAt: 1,
    lastProgressAt: 0,
    request: {
      kind: 'imagine',
      mode: 'fast',
      botType: null,
      prompt: 'a red fox in the snow --ar 3:2',
      imageUrls: [],
    },
    ...over,
  };
}

const done = (over: Partial<Job> = {}, t: Partial<TaskSnapshot> = {}): Job =>
  job({ phase: 'succeeded', task: task({ status: 'SUCCESS', progress: 100, ...t }), ...over });
const failed = (kind: FailureKind, detail?: string, over: Partial<Job> = {}): Job =>
  job({
    phase: 'failed',
    task: task({ status: 'FAILURE', imageUrl: null }),
    failure: { kind, detail },
    ...over,
  });

const buttons = (m: RenderedMessage) =>
  m.components.flatMap((r) => r.components) as APIButtonComponentWithCustomId[];
const faces = (m: RenderedMessage) =>
  m.components.map((r) =>
    (r.components as APIButtonComponentWithCustomId[]).map((x) => x.label || x.emoji?.name),
  );
const ids = (m: RenderedMessage) => buttons(m).map((x) => parseCustomId(x.custom_id));
const P = '**a red fox in the snow --ar 3:2**';
/** The bot's own controls under a result (row 5): ✉️ send to DMs, 🗑️ delete. */
const CONTROLS = [
  { kind: 'dm', jobId: 'j1' },
  { kind: 'delete', jobId: 'j1' },
];

describe('renderJob: running', () => {
  it('waits to start while submitting', () => {
    const m = renderJob(job({ phase: 'submitting', task: null, taskId: null }));
    expect(m).toEqual({
      content: `${P} - <@42> (Waiting to start)`,
      embeds: [],
      components: [{ type: 1, components: [expect.objectContaining({ custom_id: 'mj1:cancel:j1' })] }],
      imageUrl: null,
      final: false,
    });
  });

  it('waits to start until the upstream starts the task', () => {
    expect(renderJob(job({ task: task({ status: '', progress: 0, imageUrl: null }) })).content).toBe(
      `${P} - <@42> (Waiting to start)`,
    );
    expect(
      renderJob(job({ task: task({ status: 'NOT_START', progress: null, imageUrl: null }) })).content,
    ).toBe(`${P} - <@42> (Waiting to start)`);
    expect(renderJob(job({ task: task({ status: 'SUBMITTED', progress: 0, imageUrl: null }) })).content).toBe(
      `${P} - <@42> (0%) (fast)`,
    );
  });

  it('shows progress, mode and the preview', () => {
    const m = renderJob(job());
    expect(m.content).toBe(`${P} - <@42> (45%) (fast)`);
    expect(m.embeds).toEqual([{ color: COLORS.running, image: { url: IMG } }]);
    expect(m.imageUrl).toBe(IMG);
    expect(m.components).toEqual([]);
    expect(m.final).toBe(false);
  });

  it('names relaxed and turbo modes, the upstream one first', () => {
    expect(renderJob(job({ mode: 'relax' })).content).toBe(`${P} - <@42> (45%) (relaxed)`);
    expect(renderJob(job({ mode: 'relax', task: task({ mode: 'turbo' }) })).content).toBe(
      `${P} - <@42> (45%) (turbo)`,
    );
  });

  it('translates status words (zh-CN), never the prompt', () => {
    expect(renderJob(job({ locale: 'zh-CN', phase: 'submitting' })).content).toBe(`${P} - <@42> (等待开始)`);
    expect(renderJob(job({ locale: 'zh-CN' })).content).toBe(`${P} - <@42> (45%) (快速)`);
  });

  it('never pings from a prompt', () => {
    expect(renderJob(job({ prompt: 'hi @everyone <@1>' })).content).not.toMatch(/@everyone|<@1>/);
  });
});

describe('renderJob: finished image', () => {
  it('shows a grid with its buttons', () => {
    const m = renderJob(done({}, { buttons: GRID }));
    expect(m.content).toBe(`${P} - <@42> (fast)`);
    expect(m.final).toBe(true);
    expect(m.imageUrl).toBe(IMG);
    expect(m.embeds[0]?.image?.url).toBe(IMG);
    expect(m.embeds[0]?.color).toBe(COLORS.success);
    expect(faces(m)).toEqual([
      ['U1', 'U2', 'U3', 'U4', '🔄'],
      ['V1', 'V2', 'V3', 'V4'],
      ['🌱', '✉️', '🗑️'],
    ]);
    expect(ids(m)).toEqual([
      ...GRID.map((_, index) => ({ kind: 'btn', jobId: 'j1', index })),
      { kind: 'seed', jobId: 'j1' },
      ...CONTROLS,
    ]);
  });

  it('shows the attached file when the publisher attaches it', () => {
    const m = renderJob(done({}, { buttons: GRID }), { attachmentName: 'fox.png' });
    expect(m.embeds[0]?.image?.url).toBe('attachment://fox.png');
    expect(m.imageUrl).toBe(IMG);
  });

  it('renders an upscale child like the official bot, without the bookmark', () => {
    const m = renderJob(
      done(
        { kind: 'action', actionLabel: 'U2', parentMessageUrl: 'https://discord.com/channels/7/8/9' },
        { buttons: SINGLE, action: 'UPSCALE' },
      ),
    );
    expect(m.content).toBe(`${P} - Image #2 <@42>\n↩️ [Original message](https://discord.com/channels/7/8/9)`);
    expect(buttons(m).some((x) => x.emoji?.name === '❤️')).toBe(false);
    expect(ids(m).map((d) => d?.kind === 'btn' && d.index)).toEqual([0, 1, 3, 4, 5, false, false, false]);
    const pan = buttons(m).find((x) => x.emoji?.name === '⬅️');
    expect(pan?.label).toBeUndefined();
  });

  it.each([
    ['Vary (Strong)', 'Variations (Strong) by <@42> (fast)'],
    ['V3', 'Variations (Strong) by <@42> (fast)'],
    ['Vary (Subtle)', 'Variations (Subtle) by <@42> (fast)'],
    ['Zoom Out 2x', 'Zoom Out by <@42> (fast)'],
    ['Custom Zoom', 'Zoom Out by <@42> (fast)'],
    ['⬅️', 'Pan Left by <@42> (fast)'],
    ['Pan Up', 'Pan Up by <@42> (fast)'],
    ['Upscale (Creative)', 'Upscaled (Creative) by <@42> (fast)'],
    ['🔄', '<@42> (fast)'],
    ['Retexture', 'Retexture by <@42> (fast)'],
  ])('names the child job of %s', (label, expected) => {
    expect(renderJob(done({ kind: 'action', actionLabel: label })).content).toBe(`${P} - ${expected}`);
  });

  it('names child jobs in Chinese too', () => {
    const m = renderJob(done({ kind: 'action', actionLabel: 'Vary (Strong)', locale: 'zh-CN' }));
    expect(m.content).toBe(`${P} - <@42> 的强变化 (快速)`);
    expect(renderJob(job({ kind: 'action', actionLabel: 'U1', locale: 'zh-CN' })).content).toBe(
      `${P} - <@42> 的第 1 张图 (45%) (快速)`,
    );
  });
});

describe('renderJob: describe and shorten', () => {
  const text = '1️⃣ Cat --ar 5:4\n\n2️⃣ Cat2 --ar 5:4\n\n3️⃣ Cat3 --ar 5:4\n\n4️⃣ Cat4 --ar 5:4';

  it('numbers the four prompts and offers 1 2 3 4 🔄 / 🎉 Imagine all', () => {
    const m = renderJob(
      done({ kind: 'describe', prompt: '' }, { action: 'DESCRIBE', promptEn: text, finalPrompt: text }),
    );
    expect(m.content).toBe('**Describe** - <@42> (fast)');
    expect(m.embeds[0]?.description).toBe(text);
    expect(m.embeds[0]?.image?.url).toBe(IMG);
    expect(faces(m)).toEqual([['1', '2', '3', '4', '🔄'], ['Imagine all'], ['✉️', '🗑️']]);
    expect(ids(m)).toEqual([
      ...[1, 2, 3, 4].map((n) => ({ kind: 'pick', jobId: 'j1', n })),
      { kind: 'redescribe', jobId: 'j1' },
      { kind: 'pickall', jobId: 'j1' },
      ...CONTROLS,
    ]);
    expect(buttons(m)[5]?.emoji?.name).toBe('🎉');
  });

  it('reads CRLF-joined prompts and translates (zh-CN)', () => {
    const m = renderJob(
      done({ kind: 'describe', locale: 'zh-CN' }, { action: 'DESCRIBE', promptEn: 'a\r\nb\r\nc\r\nd' }),
    );
    expect(m.content.startsWith('**图片描述** - <@42>')).toBe(true);
    expect(m.embeds[0]?.description).toBe('1️⃣ a\n\n2️⃣ b\n\n3️⃣ c\n\n4️⃣ d');
    expect(buttons(m).find((b) => parseCustomId(b.custom_id)?.kind === 'pickall')?.label).toBe('全部生成');
  });

  it('shows the shorten analysis and a button per shortened prompt', () => {
    const analysis =
      '## Important tokens\n**appdash** **appdash**, in the ~~style~~ of **toonami**\n## Shortened prompts\n1️⃣ appdash, toonami\n\n2️⃣ appdash';
    const m = renderJob(
      done(
        { kind: 'shorten', prompt: 'appdash appdash, in the style of toonami' },
        { action: 'SHORTEN', finalPrompt: analysis, imageUrl: null },
      ),
    );
    expect(m.content).toBe('**appdash appdash, in the style of toonami** - <@42> (fast)');
    const d = m.embeds[0]?.description ?? '';
    expect(d).toContain('**appdash** **appdash**, in the ~~style~~ of **toonami**');
    expect(d).toContain('1️⃣ appdash, toonami\n\n2️⃣ appdash');
    expect(ids(m)).toEqual([...[1, 2].map((n) => ({ kind: 'pick', jobId: 'j1', n })), ...CONTROLS]);
    expect(m.imageUrl).toBeNull();
  });
});

describe('renderJob: paused for an edit', () => {
  it('says so and offers Edit prompt', () => {
    const m = renderJob(
      job({ phase: 'modal', kind: 'action', actionLabel: 'V2', task: task({ status: 'MODAL' }) }),
    );
    expect(m.content).toContain(`${P} - Variations (Strong) by <@42> (Waiting for your edit)`);
    expect(m.content).toContain('Edit prompt');
    expect(buttons(m).map((x) => [x.label, parseCustomId(x.custom_id)])).toEqual([
      ['Edit prompt', { kind: 'remix', jobId: 'j1' }],
    ]);
    expect(m.final).toBe(false);
  });

  it('in Chinese', () => {
    const m = renderJob(job({ phase: 'modal', locale: 'zh-CN' }));
    expect(m.content).toContain('(等待你修改)');
    expect(buttons(m)[0]?.label).toBe('编辑提示词');
  });
});

describe('renderJob: failures', () => {
  it.each([
    ['upstream_failure', true],
    ['unavailable', true],
    ['queue_full', true],
    ['deadline', true],
    ['unknown_outcome', true],
    ['banned', false],
    ['auth', false],
    ['rejected', false],
  ] as const)('%s: retry button = %s', (kind, retry) => {
    const m = renderJob(failed(kind, 'x'));
    expect(m.final).toBe(true);
    expect(m.content.split('\n')[0]).toBe(`${P} - <@42> (Failed)`);
    expect(m.embeds[0]?.color).toBe(COLORS.failure);
    // Check (look the task up by id) comes with the failures after which the task may still exist upstream.
    const check = kind === 'deadline' || kind === 'unknown_outcome' ? [{ kind: 'check', jobId: 'j1' }] : [];
    expect(ids(m)).toEqual(retry ? [...check, { kind: 'retry', jobId: 'j1' }] : []);
  });

  it('quotes the upstream reason as given', () => {
    const reason = '[Banned prompt detected] Sorry! Our AI moderator thinks this prompt is probably against…';
    const m = renderJob(failed('upstream_failure', reason));
    expect(m.content).toBe(
      `${P} - <@42> (Failed)\nMidjourney's moderation stopped this prompt. Rephrase it and try again.\n> ${reason}`,
    );
    const other = renderJob(failed('upstream_failure', 'Internal error'));
    expect(other.content).toBe(
      `${P} - <@42> (Failed)\nMidjourney could not complete the job.\n> Internal error`,
    );
    expect(m.embeds).toEqual([
      {
        color: COLORS.failure,
        title: 'Could not complete the job',
        footer: { text: 'Job 1750000123456789' },
      },
    ]);
  });

  it("falls back on the task's failReason", () => {
    const m = renderJob(job({ phase: 'failed', task: task({ status: 'FAILURE', failReason: '任务超时' }) }));
    expect(m.content).toContain('\n> 任务超时');
  });

  it('names the banned word', () => {
    expect(renderJob(failed('banned', 'nude')).content).toContain('banned word: **nude**');
    expect(renderJob(failed('banned')).content).toContain('banned word.');
  });

  it('never shows the detail of an auth failure', () => {
    const m = renderJob(failed('auth', 'Invalid token sk-abc'));
    expect(JSON.stringify(m)).not.toContain('sk-abc');
    expect(m.content).toContain('tell the server owner');
  });

  it('explains an unknown outcome: the job may exist; Retry only on purpose; Check when the task id is known', () => {
    const m = renderJob(failed('unknown_outcome'));
    expect(m.content).toContain('may still be making this job');
    expect(m.content).toContain('Press **Retry** only if you want to send it again');
    expect(m.content).toContain('Press **Check**');
    const noId = renderJob(failed('unknown_outcome', undefined, { taskId: null }));
    expect(noId.content).not.toContain('Check');
    expect(ids(noId)).toEqual([{ kind: 'retry', jobId: 'j1' }]);
  });

  it('explains in Chinese', () => {
    const m = renderJob(failed('queue_full', undefined, { locale: 'zh-CN' }));
    expect(m.content).toContain('(失败)');
    expect(m.content).toContain('队列已满');
    expect(buttons(m)[0]?.label).toBe('重试');
  });
});

describe('renderJob: limits', () => {
  const long = 'fox '.repeat(1500); // 6000 characters

  it('cuts a 6000-character prompt to fit in 2000', () => {
    for (const j of [
      job({ prompt: long }),
      done({
        prompt: long,
        kind: 'action',
        actionLabel: 'U1',
        parentMessageUrl: 'https://discord.com/channels/7/8/9',
      }),
      failed('rejected', 'x'.repeat(5000), { prompt: long }),
      job({ prompt: long, phase: 'modal' }),
    ]) {
      const m = renderJob(j);
      expect(m.content.length).toBeLessThanOrEqual(2000);
      expect(m.content).toMatch(/^\*\*fox.*…\*\* - /s);
      for (const e of m.embeds) {
        expect((e.description ?? '').length).toBeLessThanOrEqual(4096);
        expect((e.title ?? '').length).toBeLessThanOrEqual(256);
      }
    }
  });

  it('keeps embed text within limits', () => {
    const huge = [1, 2, 3, 4].map((n) => `${n}\uFE0F\u20E3 ${'word '.repeat(1000)}`).join('\n\n');
    const m = renderJob(done({ kind: 'describe' }, { action: 'DESCRIBE', finalPrompt: huge }));
    expect(m.embeds[0]?.description?.length).toBeLessThanOrEqual(4096);
    expect(m.embeds[0]?.description?.endsWith('…')).toBe(true);
  });

  it('keeps button labels within 80 characters and never empty', () => {
    const m = renderJob(
      done({}, { buttons: [b(`MJ::JOB::new::1::${H}`, 'L'.repeat(200)), b(`MJ::JOB::other::1::${H}`)] }),
    );
    for (const x of buttons(m)) {
      expect((x.label ?? '').length).toBeLessThanOrEqual(80);
      expect(Boolean(x.label) || Boolean(x.emoji?.name)).toBe(true);
    }
  });
});

describe('imageFileName', () => {
  it('slugs the prompt without links and parameters', () => {
    expect(imageFileName(done())).toBe('a_red_fox_in_the_snow_1750000123456789.webp');
    expect(
      imageFileName(
        done({ prompt: 'https://s.mj.run/abc Café crème! --v 6' }, { imageUrl: 'https://x/y.png' }),
      ),
    ).toBe('cafe_creme_1750000123456789.png');
  });

  it('falls back to image and stays short', () => {
    expect(imageFileName(done({ prompt: '一只狐狸', taskId: null }, { imageUrl: null }))).toBe(
      'image_j1.png',
    );
    const name = imageFileName(done({ prompt: 'word '.repeat(100) }));
    expect(name.length).toBeLessThanOrEqual(60 + '_1750000123456789.webp'.length);
    expect(name).toMatch(/^[a-z0-9_]+_1750000123456789\.webp$/);
  });
});
