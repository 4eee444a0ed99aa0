import { describe, expect, it } from 'vitest';
import { makePng } from '../../emulators/midjourney/index.js';
import { imageSize, sameAspect } from '../../src/media/imageSize.js';

function u16be(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

function jpeg(width: number, height: number): Buffer {
  const app0 = Buffer.concat([Buffer.from([0xff, 0xe0]), u16be(16), Buffer.from('JFIF\0'), Buffer.alloc(9)]);
  const dht = Buffer.concat([Buffer.from([0xff, 0xc4]), u16be(5), Buffer.alloc(3)]); // must be skipped
  const sof = Buffer.concat([
    Buffer.from([0xff, 0xff, 0xc2]), // a fill byte, then progressive SOF2
    u16be(17),
    Buffer.from([8]),
    u16be(height),
    u16be(width),
    Buffer.alloc(10),
  ]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, dht, sof, Buffer.from([0xff, 0xd9])]);
}

function riff(chunk: string, body: Buffer): Buffer {
  const head = Buffer.alloc(20);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(4 + 8 + body.length, 4);
  head.write('WEBP', 8, 'latin1');
  head.write(chunk, 12, 'latin1');
  head.writeUInt32LE(body.length, 16);
  return Buffer.concat([head, body, Buffer.alloc(16)]);
}

function webpLossy(width: number, height: number): Buffer {
  const frame = Buffer.alloc(10);
  frame.set([0x9d, 0x01, 0x2a], 3);
  frame.writeUInt16LE(width, 6);
  frame.writeUInt16LE(height, 8);
  return riff('VP8 ', frame);
}

function webpLossless(width: number, height: number): Buffer {
  const body = Buffer.alloc(5);
  body[0] = 0x2f;
  body.writeUInt32LE(((width - 1) & 0x3fff) | (((height - 1) & 0x3fff) << 14), 1);
  return riff('VP8L', body);
}

function webpExtended(width: number, height: number): Buffer {
  const body = Buffer.alloc(10);
  body.writeUIntLE(width - 1, 4, 3);
  body.writeUIntLE(height - 1, 7, 3);
  return riff('VP8X', body);
}

function gif(width: number, height: number): Buffer {
  const b = Buffer.alloc(13);
  b.write('GIF89a', 0, 'latin1');
  b.writeUInt16LE(width, 6);
  b.writeUInt16LE(height, 8);
  return b;
}

describe('imageSize', () => {
  it.each([
    ['PNG', makePng(16, 9), 'image/png', 16, 9],
    ['JPEG', jpeg(1456, 816), 'image/jpeg', 1456, 816],
    ['WebP (lossy)', webpLossy(1024, 1536), 'image/webp', 1024, 1536],
    ['WebP (lossless)', webpLossless(3000, 2000), 'image/webp', 3000, 2000],
    ['WebP (extended)', webpExtended(20000, 10), 'image/webp', 20000, 10],
    ['GIF', gif(320, 240), 'image/gif', 320, 240],
  ])('reads a %s header', (_name, data, type, width, height) => {
    expect(imageSize(data)).toEqual({ type, width, height });
  });

  it('gives null for anything else, truncated headers and empty sizes', () => {
    expect(imageSize(Buffer.from('<html>not an image</html>'))).toBeNull();
    expect(imageSize(makePng(4, 4).subarray(0, 20))).toBeNull();
    expect(imageSize(jpeg(10, 10).subarray(0, 30))).toBeNull();
    expect(imageSize(gif(0, 10))).toBeNull();
    expect(imageSize(Buffer.alloc(0))).toBeNull();
  });
});

describe('sameAspect', () => {
  it('accepts the same ratio at another size, within rounding', () => {
    expect(sameAspect({ width: 1456, height: 816 }, { width: 728, height: 408 })).toBe(true);
    expect(sameAspect({ width: 1000, height: 561 }, { width: 1456, height: 816 })).toBe(true);
  });

  it('refuses another ratio', () => {
    expect(sameAspect({ width: 100, height: 100 }, { width: 1456, height: 816 })).toBe(false);
    expect(sameAspect({ width: 816, height: 1456 }, { width: 1456, height: 816 })).toBe(false);
  });
});
