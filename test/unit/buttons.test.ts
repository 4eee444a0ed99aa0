import { describe, expect, it } from 'vitest';
import { classifyButton, layoutButtons, readableAction } from '../../src/render/buttons.js';
import type { MjButton } from '../../src/upstream/types.js';

const H = '3eaa7c0c-9825-4110-9c89-02c4e463a8d0';
const b = (customId: string, label = '', emoji = '', style = 2): MjButton => ({
  customId,
  label,
  emoji,
  style,
  type: 2,
});

/** §11 (f): a TA imagine grid. */
const GRID: MjButton[] = [
  ...[1, 2, 3, 4].map((n) => b(`MJ::JOB::upsample::${n}::${H}`, `U${n}`, '', 1)),
  b(`MJ::JOB::reroll::0::${H}::SOLO`, '', '🔄'),
  ...[1, 2, 3, 4].map((n) => b(`MJ::JOB::variation::${n}::${H}`, `V${n}`)),
];

/** A v6.1 upscale (§8.1, §11 f); TA sends pan buttons with an empty label. */
const V61: MjButton[] = [
  b(`MJ::JOB::upsample_v6r1_2x_subtle::1::${H}::SOLO`, 'Upscale (Subtle)'),
  b(`MJ::JOB::upsample_v6r1_2x_creative::1::${H}::SOLO`, 'Upscale (Creative)'),
  b(`MJ::JOB::low_variation::1::${H}::SOLO`, 'Vary (Subtle)', '🪄'),
  b(`MJ::JOB::high_variation::1::${H}::SOLO`, 'Vary (Strong)', '🪄'),
  b(`MJ::Inpaint::1::${H}::SOLO`, 'Vary (Region)', '🖌️'),
  b(`MJ::Outpaint::50::1::${H}::SOLO`, 'Zoom Out 2x', '🔍'),
  b(`MJ::Outpaint::75::1::${H}::SOLO`, 'Zoom Out 1.5x', '🔍'),
  b(`MJ::CustomZoom::${H}`, 'Custom Zoom', '🔍'),
  b(`MJ::JOB::pan_left::1::${H}::SOLO`, '', '⬅️'),
  b(`MJ::JOB::pan_right::1::${H}::SOLO`, '', '➡️'),
  b(`MJ::JOB::pan_up::1::${H}::SOLO`, '', '⬆️'),
  b(`MJ::JOB::pan_down::1::${H}::SOLO`, '', '⬇️'),
  b(`MJ::BOOKMARK::${H}`, '', '❤️'),
];

/** The July 2023 v5.2 capture, plus the v5 upscalers; labels and emoji left empty (synthetic form). */
const V5: MjButton[] = [
  b(`MJ::JOB::upsample_v5_2x::1::${H}::SOLO`),
  b(`MJ::JOB::upsample_v5_4x::1::${H}::SOLO`),
  b(`MJ::JOB::high_variation::1::${H}::SOLO`),
  b(`MJ::JOB::low_variation::1::${H}::SOLO`),
  b(`MJ::Outpaint::50::1::${H}::SOLO`),
  b(`MJ::Outpaint::75::1::${H}::SOLO`),
  b(`MJ::Outpaint::100::1::${H}::SOLO`),
  b(`MJ::CustomZoom::1::${H}`),
  b(`MJ::JOB::pan_left::1::${H}::SOLO`),
  b(`MJ::JOB::pan_right::1::${H}::SOLO`),
  b(`MJ::JOB::pan_up::1::${H}::SOLO`),
  b(`MJ::JOB::pan_down::1::${H}::SOLO`),
  b(`MJ::BOOKMARK::${H}`),
];

/** §11 (h) plus Imagine all. */
const DESCRIBE: MjButton[] = [
  ...[1, 2, 3, 4].map((n) => b(`MJ::Job::PicReader::${n}`, '', `${n}\uFE0F\u20E3`)),
  b('MJ::Picread::Retry', '', '🔄'),
  b('MJ::Job::PicReader::all', 'Imagine all', '🎉'),
];

const SHORTEN: MjButton[] = [1, 2, 3, 4, 5].map((n) =>
  b(`MJ::Job::PromptAnalyzer::${n}`, '', `${n}\uFE0F\u20E3`),
);

const labels = (rows: ReturnType<typeof layoutButtons>) =>
  rows.map((row) => row.map(({ info }) => info.label || info.emoji));

describe('classifyButton', () => {
  it('reads a grid', () => {
    expect(GRID.map((x) => classifyButton(x).family)).toEqual([
      ...Array(4).fill('upscale'),
      'reroll',
      ...Array(4).fill('variation'),
    ]);
    expect(classifyButton(GRID[1]!)).toMatchObject({
      label: 'U2',
      index: 2,
      style: 1,
      modal: 'never',
      upstream: true,
    });
    expect(classifyButton(GRID[4]!)).toMatchObject({
      label: '',
      emoji: '🔄',
      modal: 'remix',
      name: 'Reroll',
    });
    expect(classifyButton(GRID[8]!)).toMatchObject({ label: 'V4', index: 4, modal: 'remix', name: 'V4' });
  });

  it('reads a v6.1 upscale', () => {
    const infos = V61.map(classifyButton);
    expect(infos.map((i) => i.family)).toEqual([
      'upscale_subtle',
      'upscale_creative',
      'vary_subtle',
      'vary_strong',
      'vary_region',
      'zoom_out',
      'zoom_out',
      'custom_zoom',
      'pan',
      'pan',
      'pan',
      'pan',
      'bookmark',
    ]);
    expect(infos.map((i) => i.modal)).toEqual([
      'never',
      'never',
      'remix',
      'remix',
      'always',
      'never',
      'never',
      'always',
      'remix',
      'remix',
      'remix',
      'remix',
      'never',
    ]);
    expect(infos[8]).toMatchObject({ label: '', emoji: '⬅️', index: 1, name: 'Pan Left' });
    expect(infos[11]).toMatchObject({ emoji: '⬇️', index: 4, name: 'Pan Down' });
    expect(infos[12]).toMatchObject({ family: 'bookmark', upstream: false });
  });

  it('fills empty labels and emoji from the catalogue (v5)', () => {
    const infos = V5.map(classifyButton);
    expect(infos.map((i) => [i.label, i.emoji])).toEqual([
      ['Upscale (2x)', null],
      ['Upscale (4x)', null],
      ['Vary (Strong)', '🪄'],
      ['Vary (Subtle)', '🪄'],
      ['Zoom Out 2x', '🔍'],
      ['Zoom Out 1.5x', '🔍'],
      ['Make Square', '↔️'],
      ['Custom Zoom', '🔍'],
      ['', '⬅️'],
      ['', '➡️'],
      ['', '⬆️'],
      ['', '⬇️'],
      ['', '❤️'],
    ]);
    expect(infos[6]?.family).toBe('make_square');
    expect(infos[7]).toMatchObject({ family: 'custom_zoom', modal: 'always' });
  });

  it('knows v6 and v7 upscalers and animate', () => {
    expect(classifyButton(b(`MJ::JOB::upsample_v6_2x_subtle::1::${H}::SOLO`)).family).toBe('upscale_subtle');
    expect(classifyButton(b(`MJ::JOB::upsample_v7_2x_creative::1::${H}::SOLO`)).family).toBe(
      'upscale_creative',
    );
    expect(classifyButton(b(`MJ::JOB::animate_high::1::${H}::SOLO`))).toMatchObject({
      family: 'animate',
      label: 'Animate (High motion)',
      emoji: '🎞️',
      modal: 'remix',
    });
    expect(classifyButton(b(`MJ::JOB::animate_low_extend::1::${H}::SOLO`)).label).toBe('Extend (Low motion)');
    expect(classifyButton(b(`MJ::JOB::video_virtual_upscale::3::${H}`))).toMatchObject({
      family: 'video_upscale',
      label: 'U3',
      index: 3,
    });
  });

  it('marks describe and shorten buttons as handled by the bot', () => {
    const infos = DESCRIBE.map(classifyButton);
    expect(infos.map((i) => i.family)).toEqual([
      'describe_pick',
      'describe_pick',
      'describe_pick',
      'describe_pick',
      'describe_retry',
      'describe_all',
    ]);
    expect(infos.every((i) => !i.upstream)).toBe(true);
    expect(infos[2]).toMatchObject({ index: 3, emoji: '3️⃣', modal: 'always' });
    const short = SHORTEN.map(classifyButton);
    expect(short.every((i) => i.family === 'shorten_pick' && !i.upstream && i.modal === 'always')).toBe(true);
    expect(short[4]?.index).toBe(5);
  });

  it('prefers the upstream label, emoji and style', () => {
    expect(
      classifyButton(b(`MJ::JOB::high_variation::1::${H}::SOLO`, 'Vary (Strong) ✓', '✨', 3)),
    ).toMatchObject({
      label: 'Vary (Strong) ✓',
      emoji: '✨',
      style: 3,
      family: 'vary_strong',
    });
  });

  it('drops custom emoji names that Discord cannot show without an id, and link styles', () => {
    const info = classifyButton(
      b(`MJ::JOB::low_variation::1::${H}::SOLO`, 'Vary (Subtle)', 'vary_subtle', 5),
    );
    expect(info.emoji).toBe('🪄');
    expect(info.style).toBe(2);
  });

  it('renders an unknown family from its own label and emoji, upstream', () => {
    expect(classifyButton(b(`MJ::JOB::retexture::1::${H}::SOLO`, 'Retexture', '🎨'))).toMatchObject({
      family: 'unknown',
      label: 'Retexture',
      emoji: '🎨',
      upstream: true,
      modal: 'never',
    });
  });

  it('never leaves an unknown button without a label', () => {
    expect(classifyButton(b(`MJ::JOB::style_tuner_v2::1::${H}::SOLO`)).label).toBe('Style tuner v2');
    expect(classifyButton(b(`MJ::Job::PromptAnalyzerExtended::${H}`)).label).toBe('Prompt analyzer extended');
    expect(classifyButton(b(`MJ::SomethingNew::${H}`, '', '🆕')).label).toBe('Something new');
    expect(classifyButton(b('')).label).toBe('Action');
    expect(classifyButton(b('MJ::JOB::pan_sideways::1::x')).family).toBe('unknown');
    expect(readableAction('weird_thing')).toBe('Weird thing');
  });
});

describe('layoutButtons', () => {
  it('lays out a grid like the official bot', () => {
    const rows = layoutButtons(GRID);
    expect(labels(rows)).toEqual([
      ['U1', 'U2', 'U3', 'U4', '🔄'],
      ['V1', 'V2', 'V3', 'V4'],
    ]);
    expect(rows[0]?.map((x) => x.index)).toEqual([0, 1, 2, 3, 4]);
    expect(rows[1]?.map((x) => x.index)).toEqual([5, 6, 7, 8]);
  });

  it('groups a v6.1 upscale and leaves the bookmark out', () => {
    const rows = layoutButtons(V61);
    expect(labels(rows)).toEqual([
      ['Upscale (Subtle)', 'Upscale (Creative)'],
      ['Vary (Subtle)', 'Vary (Strong)', 'Vary (Region)'],
      ['Zoom Out 2x', 'Zoom Out 1.5x', 'Custom Zoom'],
      ['⬅️', '➡️', '⬆️', '⬇️'],
    ]);
    expect(rows.flat().some((x) => x.info.family === 'bookmark')).toBe(false);
    expect(rows.flat().map((x) => x.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('keeps a v5 upscale within 4 rows of 5', () => {
    const rows = layoutButtons(V5);
    expect(labels(rows)).toEqual([
      ['Upscale (2x)', 'Upscale (4x)'],
      ['Vary (Strong)', 'Vary (Subtle)'],
      ['Zoom Out 2x', 'Zoom Out 1.5x', 'Make Square', 'Custom Zoom'],
      ['⬅️', '➡️', '⬆️', '⬇️'],
    ]);
  });

  it('merges small groups when there are too many', () => {
    const withAnimate = [
      ...V61,
      b(`MJ::JOB::animate_high::1::${H}::SOLO`, 'Animate (High motion)', '🎞️'),
      b(`MJ::JOB::animate_low::1::${H}::SOLO`, 'Animate (Low motion)', '🎞️'),
    ];
    const rows = layoutButtons(withAnimate);
    expect(rows).toHaveLength(4);
    expect(rows.every((r) => r.length <= 5)).toBe(true);
    expect(rows.flat()).toHaveLength(14);
    expect(labels(rows)[0]).toEqual([
      'Upscale (Subtle)',
      'Upscale (Creative)',
      'Vary (Subtle)',
      'Vary (Strong)',
      'Vary (Region)',
    ]);
  });

  it('never exceeds 4 rows of 5, even with many unknown buttons', () => {
    const many = Array.from({ length: 30 }, (_, i) => b(`MJ::JOB::new_thing_${i}::1::${H}`, `N${i}`));
    const rows = layoutButtons(many);
    expect(rows).toHaveLength(4);
    expect(rows.every((r) => r.length === 5)).toBe(true);
  });

  it('renders nothing for describe and shorten (the bot draws its own)', () => {
    expect(layoutButtons(DESCRIBE)).toEqual([]);
    expect(layoutButtons(SHORTEN)).toEqual([]);
    expect(layoutButtons([])).toEqual([]);
  });

  it('places unknown buttons after the known groups', () => {
    const rows = layoutButtons([...GRID, b(`MJ::JOB::new_thing::1::${H}`, '', '🆕')]);
    expect(labels(rows)[2]).toEqual(['New thing']);
  });
});
