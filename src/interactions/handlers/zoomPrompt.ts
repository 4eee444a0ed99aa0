/** Custom Zoom: the `--zoom` parameter, which Midjourney accepts from 1.0 to 2.0. */

export const ZOOM_MIN = 1;
export const ZOOM_MAX = 2;
/** What the official bot pre-fills. */
export const ZOOM_DEFAULT = 2;

const ZOOM_PARAM = /(^|\s)--zoom(?=\s|$)(?:\s+(?!--)(\S+))?/gi;

/** The prompt with every `--zoom …` removed and `--zoom <zoom>` appended, as the Custom Zoom pop-up shows it. */
export function withZoom(prompt: string, zoom = ZOOM_DEFAULT): string {
  const base = prompt.replace(ZOOM_PARAM, ' ').replace(/\s+/g, ' ').trim();
  return base ? `${base} --zoom ${zoom}` : `--zoom ${zoom}`;
}

/** The outcome of checking a Custom Zoom prompt. */
export type ZoomCheck =
  | { ok: true; zoom: number }
  | { ok: false; reason: 'missing' }
  | { ok: false; reason: 'range'; value: string };

/**
 * Checks the `--zoom` of an edited Custom Zoom prompt: present, a plain number, from 1.0 to 2.0. With several,
 * every one must be valid and the last counts (as Midjourney reads parameters).
 */
export function checkZoom(prompt: string): ZoomCheck {
  const values = [...prompt.matchAll(ZOOM_PARAM)].map((m) => m[2] ?? '');
  if (values.length === 0) return { ok: false, reason: 'missing' };
  let zoom = Number.NaN;
  for (const value of values) {
    zoom = /^\d+(?:\.\d+)?$|^\.\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!(zoom >= ZOOM_MIN && zoom <= ZOOM_MAX)) return { ok: false, reason: 'range', value: value || '—' };
  }
  return { ok: true, zoom };
}
