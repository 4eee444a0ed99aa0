import { EMOJI, keycap, LIMITS } from '../constants.js';
import type { MjButton } from '../upstream/types.js';

/** What an upstream button does, as far as the bot cares. */
export type ButtonFamily =
  | 'upscale'
  | 'variation'
  | 'reroll'
  | 'upscale_subtle'
  | 'upscale_creative'
  | 'upscale_2x'
  | 'upscale_4x'
  | 'vary_subtle'
  | 'vary_strong'
  | 'vary_region'
  | 'zoom_out'
  | 'custom_zoom'
  | 'make_square'
  | 'pan'
  | 'animate'
  | 'video_upscale'
  | 'bookmark'
  | 'describe_pick'
  | 'describe_all'
  | 'describe_retry'
  | 'shorten_pick'
  | 'unknown';

/** A classified upstream button, ready to render. */
export interface ButtonInfo {
  family: ButtonFamily;
  /** Label to show; may be '' only when `emoji` is set. */
  label: string;
  emoji: string | null;
  style: 1 | 2 | 3 | 4;
  /** 'always' → a modal must open before any upstream call; 'remix' → only when the user's remix preference is on. */
  modal: 'always' | 'remix' | 'never';
  /** false → the aggregator refuses it: the bot handles it itself (describe/shorten) or leaves it out (bookmark). */
  upstream: boolean;
  /** U/V/video-upscale n, describe/shorten prompt n, pan direction (1 left, 2 right, 3 up, 4 down); else null. */
  index: number | null;
  /** A readable English name, never empty ("U2", "Vary (Strong)", "Pan Left", "Reroll"): logs, job.actionLabel. */
  name: string;
}

type Spec = Omit<ButtonInfo, 'style' | 'name'> & { name?: string };

const PANS = ['left', 'right', 'up', 'down'] as const;
const PAN_EMOJI = [EMOJI.panLeft, EMOJI.panRight, EMOJI.panUp, EMOJI.panDown];
const ZOOMS: Record<string, string> = { '50': 'Zoom Out 2x', '75': 'Zoom Out 1.5x' };

const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const num = (s: string | undefined): number | null => (s && /^\d{1,3}$/.test(s) ? Number(s) : null);

/** A readable form of the customId's action part: `MJ::JOB::some_new_thing::1::…` → "Some new thing". */
export function readableAction(customId: string): string {
  const parts = customId.split('::').filter((p) => p !== '' && !/^[0-9a-f-]{16,}$/i.test(p));
  const body = /^mj$/i.test(parts[0] ?? '') ? parts.slice(1) : parts;
  const action = (/^job$/i.test(body[0] ?? '') ? body[1] : body[0]) ?? '';
  const words = action
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_\s]+/g, ' ')
    .trim()
    .toLowerCase();
  return words ? capital(words).slice(0, LIMITS.buttonLabel) : 'Action';
}

function jobSpec(action: string, n: number | null): Spec | null {
  const at = (family: ButtonFamily, label: string, emoji: string | null, modal: Spec['modal']): Spec => ({
    family,
    label,
    emoji,
    modal,
    upstream: true,
    index: null,
  });
  if (action === 'upsample') return { ...at('upscale', `U${n ?? ''}`, null, 'never'), index: n };
  if (action === 'variation') return { ...at('variation', `V${n ?? ''}`, null, 'remix'), index: n };
  if (action === 'reroll') return { ...at('reroll', '', EMOJI.reroll, 'remix'), name: 'Reroll' };
  if (action === 'video_virtual_upscale')
    return { ...at('video_upscale', `U${n ?? ''}`, null, 'never'), index: n };
  if (action === 'low_variation') return at('vary_subtle', 'Vary (Subtle)', EMOJI.vary, 'remix');
  if (action === 'high_variation') return at('vary_strong', 'Vary (Strong)', EMOJI.vary, 'remix');
  if (action.startsWith('upsample_')) {
    if (action.endsWith('_subtle')) return at('upscale_subtle', 'Upscale (Subtle)', null, 'never');
    if (action.endsWith('_creative')) return at('upscale_creative', 'Upscale (Creative)', null, 'never');
    if (action.endsWith('_2x')) return at('upscale_2x', 'Upscale (2x)', null, 'never');
    if (action.endsWith('_4x')) return at('upscale_4x', 'Upscale (4x)', null, 'never');
    return null;
  }
  const pan = /^pan_(left|right|up|down)$/.exec(action);
  if (pan) {
    const i = PANS.indexOf(pan[1] as (typeof PANS)[number]);
    return {
      ...at('pan', '', PAN_EMOJI[i] ?? null, 'remix'),
      index: i + 1,
      name: `Pan ${capital(pan[1] ?? '')}`,
    };
  }
  const animate = /^animate_(high|low)(_extend)?$/.exec(action);
  if (animate) {
    const verb = animate[2] ? 'Extend' : 'Animate';
    return at('animate', `${verb} (${capital(animate[1] ?? '')} motion)`, EMOJI.animate, 'remix');
  }
  return null;
}

function specOf(customId: string): Spec | null {
  const p = customId.split('::');
  if (p[0] !== 'MJ') return null;
  const kind = p[1] ?? '';
  const spec = (
    family: ButtonFamily,
    label: string,
    emoji: string | null,
    rest: Partial<Spec> = {},
  ): Spec => ({
    family,
    label,
    emoji,
    modal: 'never',
    upstream: true,
    index: null,
    ...rest,
  });
  if (kind.toUpperCase() === 'JOB') {
    const action = p[2] ?? '';
    const n = num(p[3]);
    if (action === 'PicReader') {
      if (p[3] === 'all') return spec('describe_all', 'Imagine all', EMOJI.imagineAll, { upstream: false });
      if (n === null) return null;
      return spec('describe_pick', '', keycap(n), {
        upstream: false,
        modal: 'always',
        index: n,
        name: `${n}`,
      });
    }
    if (action === 'PromptAnalyzer' && n !== null) {
      return spec('shorten_pick', '', keycap(n), {
        upstream: false,
        modal: 'always',
        index: n,
        name: `${n}`,
      });
    }
    return jobSpec(action, n);
  }
  if (kind === 'Picread' && p[2] === 'Retry') {
    return spec('describe_retry', '', EMOJI.reroll, { upstream: false, name: 'Describe again' });
  }
  if (kind === 'BOOKMARK') return spec('bookmark', '', EMOJI.bookmark, { upstream: false, name: 'Bookmark' });
  if (kind === 'Inpaint') return spec('vary_region', 'Vary (Region)', EMOJI.region, { modal: 'always' });
  if (kind === 'CustomZoom') return spec('custom_zoom', 'Custom Zoom', EMOJI.zoom, { modal: 'always' });
  if (kind === 'Outpaint') {
    if (p[2] === '100') return spec('make_square', 'Make Square', EMOJI.square);
    return spec('zoom_out', ZOOMS[p[2] ?? ''] ?? 'Zoom Out', EMOJI.zoom);
  }
  return null;
}

/** A Discord-usable unicode emoji: custom emoji names without an id (e.g. "upscale_1") cannot be sent. */
function usableEmoji(emoji: string | undefined): string | null {
  const e = emoji?.trim();
  return e && /[^\p{ASCII}]/u.test(e) ? e : null;
}

function styleOf(style: number, fallback: ButtonInfo['style']): ButtonInfo['style'] {
  return style === 1 || style === 2 || style === 3 || style === 4 ? style : fallback;
}

/** Classifies an upstream button: family, label and emoji (upstream first, catalogue when empty), modal need. */
export function classifyButton(b: MjButton): ButtonInfo {
  const spec = specOf(b.customId ?? '');
  const upstreamLabel = (b.label ?? '').trim().slice(0, LIMITS.buttonLabel);
  const emoji = usableEmoji(b.emoji) ?? spec?.emoji ?? null;
  const style = styleOf(b.style, 2);
  if (!spec) {
    const label = upstreamLabel || readableAction(b.customId ?? '');
    return {
      family: 'unknown',
      label,
      emoji,
      style,
      modal: 'never',
      upstream: true,
      index: null,
      name: label,
    };
  }
  const label = upstreamLabel || spec.label || (emoji ? '' : (spec.name ?? readableAction(b.customId)));
  const name = spec.name ?? (spec.label || label || readableAction(b.customId));
  return { ...spec, label, emoji, style, name };
}

type Group = 'u' | 'v' | 'upscales' | 'varies' | 'zooms' | 'pans' | 'others';
const GROUP_ORDER: readonly Group[] = ['u', 'v', 'upscales', 'varies', 'zooms', 'pans', 'others'];
const SINGLE_GROUPS: Partial<Record<ButtonFamily, Group>> = {
  upscale_subtle: 'upscales',
  upscale_creative: 'upscales',
  upscale_2x: 'upscales',
  upscale_4x: 'upscales',
  vary_subtle: 'varies',
  vary_strong: 'varies',
  vary_region: 'varies',
  zoom_out: 'zooms',
  custom_zoom: 'zooms',
  make_square: 'zooms',
  pan: 'pans',
};
/** Rows left for upstream buttons: row 5 is the bot's own. */
const MAX_ROWS = LIMITS.actionRows - 1;
const PER_ROW = LIMITS.buttonsPerRow;

/** A laid-out button: its index in the task's `buttons` and its classification. */
export interface LaidOutButton {
  index: number;
  info: ButtonInfo;
}

function groupOf(info: ButtonInfo, grid: boolean): Group {
  if (grid && (info.family === 'upscale' || info.family === 'video_upscale' || info.family === 'reroll'))
    return 'u';
  if (grid && info.family === 'variation') return 'v';
  return SINGLE_GROUPS[info.family] ?? 'others';
}

function chunk<T>(items: T[]): T[][] {
  const rows: T[][] = [];
  for (let i = 0; i < items.length; i += PER_ROW) rows.push(items.slice(i, i + PER_ROW));
  return rows;
}

/** Merges the adjacent pair of rows with the smallest total that fits in one row, while there are too many rows. */
function packRows<T>(rows: T[][]): T[][] {
  const out = rows.map((r) => [...r]);
  while (out.length > MAX_ROWS) {
    let best = -1;
    for (let i = 0; i + 1 < out.length; i++) {
      const size = (out[i]?.length ?? 0) + (out[i + 1]?.length ?? 0);
      const bestSize = best < 0 ? Infinity : (out[best]?.length ?? 0) + (out[best + 1]?.length ?? 0);
      if (size <= PER_ROW && size < bestSize) best = i;
    }
    if (best < 0) return chunk(out.flat()).slice(0, MAX_ROWS);
    out.splice(best, 2, [...(out[best] ?? []), ...(out[best + 1] ?? [])]);
  }
  return out;
}

/**
 * Lays the upstream buttons out in Discord rows: a grid gives `U1 U2 U3 U4 🔄` / `V1 V2 V3 V4`; a single image is
 * grouped (upscales / varies / zooms / pans / others). At most 5 per row and 4 rows; non-upstream buttons are left out.
 */
export function layoutButtons(buttons: readonly MjButton[]): LaidOutButton[][] {
  const items = buttons
    .map((b, index) => ({ index, info: classifyButton(b) }))
    .filter((b) => b.info.upstream);
  const grid = items.some((b) => ['upscale', 'variation', 'video_upscale'].includes(b.info.family));
  const groups = new Map<Group, LaidOutButton[]>();
  for (const item of items) {
    const g = groupOf(item.info, grid);
    groups.set(g, [...(groups.get(g) ?? []), item]);
  }
  const rows = GROUP_ORDER.flatMap((g) => chunk(groups.get(g) ?? []));
  return packRows(rows);
}
