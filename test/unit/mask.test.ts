import { describe, expect, it } from 'vitest';
import { makePng } from '../../emulators/midjourney/index.js';
import { checkMask } from '../../src/media/mask.js';

describe('checkMask', () => {
  it('accepts a PNG with the image aspect ratio, as a PNG data URL', () => {
    const png = makePng(728, 408);
    const got = checkMask(png, { width: 1456, height: 816 });
    expect(got).toEqual({
      ok: true,
      dataUrl: `data:image/png;base64,${png.toString('base64')}`,
      width: 728,
      height: 408,
    });
  });

  it('refuses another aspect ratio and names both sizes', () => {
    expect(checkMask(makePng(100, 100), { width: 1456, height: 816 })).toEqual({
      ok: false,
      key: 'region.maskAspect',
      vars: { mask: '100×100', image: '1456×816' },
    });
  });

  it('refuses what is not a PNG by its bytes', () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, ...Buffer.from('JFIF')]);
    expect(checkMask(jpeg, null)).toEqual({ ok: false, key: 'region.maskNotPng' });
    expect(checkMask(Buffer.from('not an image'), null)).toEqual({ ok: false, key: 'region.maskNotPng' });
  });

  it('checks only the type when the image size is unknown', () => {
    expect(checkMask(makePng(3, 7), null).ok).toBe(true);
  });
});
