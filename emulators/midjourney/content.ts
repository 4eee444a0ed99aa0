import type { MjButton } from '../../src/upstream/types.js';

const NUMBERS = ['1️⃣', '2️⃣', '3️⃣', '4️⃣', '5️⃣'];

function btn(customId: string, label: string, emoji = '', style = 2): MjButton {
  return { customId, emoji, label, style, type: 2 };
}

/** U1–U4, 🔄, V1–V4 of a 2×2 grid (as in the reference TA capture). */
export function gridButtons(hash: string): MjButton[] {
  return [
    ...[1, 2, 3, 4].map((n) => btn(`MJ::JOB::upsample::${n}::${hash}`, `U${n}`, '', 1)),
    btn(`MJ::JOB::reroll::0::${hash}::SOLO`, '', '🔄'),
    ...[1, 2, 3, 4].map((n) => btn(`MJ::JOB::variation::${n}::${hash}`, `V${n}`)),
  ];
}

/** The v6.1 buttons of a single upscaled image; `withUpscale: false` for UPSCALE_HD results. */
export function singleButtons(hash: string, withUpscale = true): MjButton[] {
  const upscale = withUpscale
    ? [
        btn(`MJ::JOB::upsample_v6r1_2x_subtle::1::${hash}::SOLO`, 'Upscale (Subtle)'),
        btn(`MJ::JOB::upsample_v6r1_2x_creative::1::${hash}::SOLO`, 'Upscale (Creative)'),
      ]
    : [];
  return [
    ...upscale,
    btn(`MJ::JOB::low_variation::1::${hash}::SOLO`, 'Vary (Subtle)', '🪄'),
    btn(`MJ::JOB::high_variation::1::${hash}::SOLO`, 'Vary (Strong)', '🪄'),
    btn(`MJ::Inpaint::1::${hash}::SOLO`, 'Vary (Region)', '🖌️'),
    btn(`MJ::Outpaint::50::1::${hash}::SOLO`, 'Zoom Out 2x', '🔍'),
    btn(`MJ::Outpaint::75::1::${hash}::SOLO`, 'Zoom Out 1.5x', '🔍'),
    btn(`MJ::CustomZoom::${hash}`, 'Custom Zoom', '🔍'),
    btn(`MJ::JOB::pan_left::1::${hash}::SOLO`, '', '⬅️'),
    btn(`MJ::JOB::pan_right::1::${hash}::SOLO`, '', '➡️'),
    btn(`MJ::JOB::pan_up::1::${hash}::SOLO`, '', '⬆️'),
    btn(`MJ::JOB::pan_down::1::${hash}::SOLO`, '', '⬇️'),
    btn(`MJ::BOOKMARK::${hash}`, '', '❤️'),
  ];
}

/** PicReader 1️⃣–4️⃣ and 🔄 of a DESCRIBE result. */
export function describeButtons(): MjButton[] {
  return [
    ...[1, 2, 3, 4].map((n) => btn(`MJ::Job::PicReader::${n}`, '', NUMBERS[n - 1])),
    btn('MJ::Picread::Retry', '', '🔄'),
  ];
}

/** PromptAnalyzer 1️⃣–5️⃣ of a SHORTEN result. */
export function shortenButtons(): MjButton[] {
  return [1, 2, 3, 4, 5].map((n) => btn(`MJ::Job::PromptAnalyzer::${n}`, '', NUMBERS[n - 1]));
}

/** Buttons a task gets on SUCCESS, by action. */
export function buttonsFor(action: string, hash: string): MjButton[] {
  switch (action) {
    case 'UPSCALE':
      return singleButtons(hash, true);
    case 'UPSCALE_HD':
      return singleButtons(hash, false);
    case 'DESCRIBE':
      return describeButtons();
    case 'SHORTEN':
      return shortenButtons();
    case 'VIDEO':
      return [];
    default:
      return gridButtons(hash);
  }
}

/** The four-prompt text of a DESCRIBE result, blocks separated by blank lines. */
export function describeText(seed: string): string {
  const subjects = [
    `a cat sitting on a windowsill, soft morning light, ${seed}`,
    'a fluffy cat portrait, pastel colours, studio photography',
    'a cat in a sunny room, minimalist interior, film grain',
    'a curious kitten, watercolor illustration, warm tones',
  ];
  return subjects.map((s, i) => `${NUMBERS[i]} ${s} --ar 5:4`).join('\n\n');
}

/** MJ's `/shorten` analysis markdown with five shortened prompts. */
export function shortenText(prompt: string): string {
  const words = prompt.split(/[\s,]+/).filter((w) => w !== '' && !w.startsWith('--'));
  const tokens = words.map((w, i) => (i % 3 === 2 ? `~~${w}~~` : `**${w}**`)).join(' ');
  const prompts = [0, 1, 2, 3, 4].map((cut) => {
    const keep = Math.max(1, words.length - cut);
    return `${NUMBERS[cut]} ${words.slice(0, keep).join(' ')}`;
  });
  return `## Important tokens\n${tokens}\n## Shortened prompts\n${prompts.join('\n\n')}`;
}

/** How `/submit/action` treats a customId. */
export type ActionClass =
  | { ok: true; action: string; modal: 'always' | 'remix' | 'never'; index: number | null }
  | { ok: false; reason: 'unknown' | 'no_reroll' };

const REROLLABLE = new Set([
  'IMAGINE',
  'VARIATION',
  'DESCRIBE',
  'BLEND',
  'PAN',
  'ZOOM',
  'SHORTEN',
  'UPSCALE_HD',
]);

/** The child action for `customId` pressed on a task of `parentAction` (TA HEAD rules, §4.6). */
export function classifyAction(customId: string, parentAction: string): ActionClass {
  const index = (): number | null => {
    const m = /::(\d+)::/.exec(customId);
    return m?.[1] ? Number(m[1]) : null;
  };
  if (customId.startsWith('MJ::JOB::upsample::'))
    return { ok: true, action: 'UPSCALE', modal: 'never', index: index() };
  if (/^MJ::JOB::(?:variation|low_variation|high_variation)::/.test(customId)) {
    return { ok: true, action: 'VARIATION', modal: 'remix', index: index() };
  }
  if (customId.startsWith('MJ::Inpaint::'))
    return { ok: true, action: 'VARIATION', modal: 'always', index: 1 };
  if (customId.startsWith('MJ::JOB::reroll::')) {
    if (parentAction === 'UPSCALE') return { ok: true, action: 'IMAGINE', modal: 'remix', index: 0 };
    if (!REROLLABLE.has(parentAction)) return { ok: false, reason: 'no_reroll' };
    return { ok: true, action: parentAction, modal: 'remix', index: 0 };
  }
  if (customId.startsWith('MJ::Outpaint::')) return { ok: true, action: 'ZOOM', modal: 'never', index: null };
  if (customId.startsWith('MJ::CustomZoom::'))
    return { ok: true, action: 'ZOOM', modal: 'always', index: null };
  if (customId.startsWith('MJ::JOB::pan_')) return { ok: true, action: 'PAN', modal: 'remix', index: null };
  if (customId.startsWith('MJ::JOB::upsample_'))
    return { ok: true, action: 'UPSCALE_HD', modal: 'never', index: null };
  if (customId.startsWith('MJ::JOB::animate_'))
    return { ok: true, action: 'VIDEO', modal: 'remix', index: null };
  // BOOKMARK, PicReader, Picread::Retry, PromptAnalyzer and anything else: refused (as the aggregator does).
  return { ok: false, reason: 'unknown' };
}
