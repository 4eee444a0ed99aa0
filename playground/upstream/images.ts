/**
 * Pictures with something to see in them, drawn locally with jimp (pure JS, built-in bitmap fonts): a grid of four
 * numbered quadrants painted from the prompt, one quadrant enlarged for an upscale, a zoomed-out frame.
 */
import { HorizontalAlign, Jimp, loadFont, VerticalAlign } from 'jimp';
import { SANS_16_WHITE, SANS_64_WHITE } from 'jimp/fonts';

const SIZE = 512;
const HALF = SIZE / 2;
type Font = Awaited<ReturnType<typeof loadFont>>;
type Image = InstanceType<typeof Jimp>;

let fonts: Promise<{ big: Font; small: Font }> | undefined;
const loadFonts = () => {
  fonts ??= Promise.all([loadFont(SANS_64_WHITE), loadFont(SANS_16_WHITE)]).then(([big, small]) => ({
    big,
    small,
  }));
  return fonts;
};

/** A stable 32-bit hash of a text (FNV-1a). */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (const ch of text) h = Math.imul(h ^ (ch.codePointAt(0) ?? 0), 0x01000193) >>> 0;
  return h;
}

/** An RGBA colour from a hue (0–359), darkish so white text stays readable. */
function colour(hue: number, light = 0.42): number {
  const c = (1 - Math.abs(2 * light - 1)) * 0.65;
  const x = c * (1 - Math.abs(((hue / 60) % 2) - 1));
  const m = light - c / 2;
  const [r, g, b] = [
    [c, x, 0],
    [x, c, 0],
    [0, c, x],
    [0, x, c],
    [x, 0, c],
    [c, 0, x],
  ][Math.floor(hue / 60) % 6] as [number, number, number];
  const byte = (v: number) => Math.round((v + m) * 255);
  return ((byte(r) << 24) | (byte(g) << 16) | (byte(b) << 8) | 0xff) >>> 0;
}

/** One quadrant: a vertical gradient between two hues, stripes, its number and the prompt. */
function paint(img: Image, x0: number, y0: number, w: number, hue: number, seed: number): void {
  const top = colour(hue, 0.5);
  const bottom = colour((hue + 40) % 360, 0.3);
  for (let y = 0; y < w; y++) {
    const t = y / w;
    const mix = (shift: number) =>
      Math.round(((top >>> shift) & 0xff) * (1 - t) + ((bottom >>> shift) & 0xff) * t);
    const stripe = (y + (seed % 17)) % 24 < 3 ? 18 : 0;
    const rgba = (((mix(24) + stripe) << 24) | (mix(16) << 16) | ((mix(8) + stripe) << 8) | 0xff) >>> 0;
    for (let x = 0; x < w; x++) img.setPixelColor(rgba, x0 + x, y0 + y);
  }
}

async function label(img: Image, x: number, y: number, w: number, number: string, prompt: string) {
  const { big, small } = await loadFonts();
  const center = { alignmentX: HorizontalAlign.CENTER, alignmentY: VerticalAlign.MIDDLE };
  img.print({
    font: big,
    x,
    y: y + w * 0.12,
    text: { text: number, ...center },
    maxWidth: w,
    maxHeight: w / 2,
  });
  const text = prompt.length > 90 ? `${prompt.slice(0, 87)}...` : prompt;
  img.print({ font: small, x: x + 12, y: y + w * 0.62, text, maxWidth: w - 24 });
}

/** A 2×2 grid: quadrants 1–4, each with its number and the prompt; `variant` shifts the colours. */
export async function gridImage(prompt: string, variant = 0): Promise<Buffer> {
  const img = new Jimp({ width: SIZE, height: SIZE, color: 0x000000ff });
  const base = hash(prompt) + variant * 53;
  for (let i = 0; i < 4; i++) {
    const x = (i % 2) * HALF;
    const y = Math.floor(i / 2) * HALF;
    paint(img, x, y, HALF, (base + i * 71) % 360, base + i);
    await label(img, x, y, HALF, String(i + 1), prompt);
  }
  return img.getBuffer('image/png');
}

/** Quadrant `index` (1–4) of a grid, enlarged to the full size and marked as an upscale. */
export async function upscaleImage(grid: Buffer, index: number): Promise<Buffer> {
  const img = await Jimp.read(grid);
  const i = Math.min(Math.max(index, 1), 4) - 1;
  img.crop({ x: (i % 2) * HALF, y: Math.floor(i / 2) * HALF, w: HALF, h: HALF });
  img.resize({ w: SIZE, h: SIZE });
  return img.getBuffer('image/png');
}

/** The picture shrunk inside a wider frame painted from the prompt (zoom out, pan). */
export async function zoomedImage(single: Buffer, prompt: string): Promise<Buffer> {
  const img = new Jimp({ width: SIZE, height: SIZE, color: 0x000000ff });
  paint(img, 0, 0, SIZE, (hash(prompt) + 180) % 360, hash(prompt));
  const inner = await Jimp.read(single);
  inner.resize({ w: SIZE * 0.66, h: SIZE * 0.66 });
  img.composite(inner, SIZE * 0.17, SIZE * 0.17);
  return img.getBuffer('image/png');
}
