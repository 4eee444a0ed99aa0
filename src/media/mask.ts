import type { MessageKey } from '../i18n/index.js';
import { imageSize, sameAspect } from './imageSize.js';

/** A Vary (Region) mask that passed, or why it did not. */
export type MaskCheck =
  | { ok: true; dataUrl: string; width: number; height: number }
  | { ok: false; key: MessageKey; vars?: Record<string, string> };

const dims = (s: { width: number; height: number }) => `${s.width}×${s.height}`;

/**
 * Checks a Vary (Region) mask by its bytes: a PNG (Midjourney's inpaint takes PNG masks; white = regenerate,
 * black = keep) with the aspect ratio of the image it masks. `image` null = its size is unknown: only the
 * type is checked. The result is the PNG data URL sent as `maskBase64`.
 */
export function checkMask(data: Buffer, image: { width: number; height: number } | null): MaskCheck {
  const size = imageSize(data);
  if (size?.type !== 'image/png') return { ok: false, key: 'region.maskNotPng' };
  if (image && !sameAspect(size, image)) {
    return { ok: false, key: 'region.maskAspect', vars: { mask: dims(size), image: dims(image) } };
  }
  return {
    ok: true,
    dataUrl: `data:image/png;base64,${data.toString('base64')}`,
    width: size.width,
    height: size.height,
  };
}
