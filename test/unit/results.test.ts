import { describe, expect, it } from 'vitest';
import { parseDescribePrompts, parseShorten } from '../../src/jobs/results.js';

const DESCRIBE = '1️⃣ Cat --ar 5:4\n\n2️⃣ Cat2 --ar 5:4\n\n3️⃣ Cat3 --ar 5:4\n\n4️⃣ Cat4 --ar 5:4';
const SHORTEN =
  '## Important tokens\n**appdash** **appdash**, in the ~~style~~ of ~~expert~~ **draftsmanship**, commission for, ethereal, dreamlike quality, ~~dadaistic~~, **toonami**\n## Shortened prompts\n1️⃣ appdash appdash, draftsmanship, commission for, ethereal, toonami\n\n2️⃣ appdash appdash, draftsmanship, commission, toonami\n\n3️⃣ appdash appdash, draftsmanship, toonami\n\n4️⃣ appdash appdash, toonami\n\n5️⃣ appdash appdash';

describe('parseDescribePrompts', () => {
  it('reads the reference payload', () => {
    expect(parseDescribePrompts(DESCRIBE)).toEqual([
      'Cat --ar 5:4',
      'Cat2 --ar 5:4',
      'Cat3 --ar 5:4',
      'Cat4 --ar 5:4',
    ]);
  });

  it('reads keycaps without the variation selector, CRLF and stray whitespace', () => {
    const text = '  1\u20E3  a red fox ,  snow --ar 3:2 \r\n\r\n 2\u20E3 b\r\n\r\n3️⃣ c   \n\n\n4️⃣\td  ';
    expect(parseDescribePrompts(text)).toEqual(['a red fox , snow --ar 3:2', 'b', 'c', 'd']);
  });

  it('reads prompts joined by CRLF without numbering (TA official accounts)', () => {
    expect(parseDescribePrompts('first prompt --ar 1:1\r\nsecond\r\nthird\r\nfourth')).toEqual([
      'first prompt --ar 1:1',
      'second',
      'third',
      'fourth',
    ]);
  });

  it('reads blank-line separated blocks without numbering, joining wrapped lines', () => {
    expect(parseDescribePrompts('one\nstill one\n\ntwo\n\n  \n three ')).toEqual([
      'one still one',
      'two',
      'three',
    ]);
  });

  it('ignores text before the first keycap', () => {
    expect(parseDescribePrompts('Here you go:\n1️⃣ a\n2️⃣ b')).toEqual(['a', 'b']);
  });

  it('keeps digits that are not keycaps', () => {
    expect(parseDescribePrompts('1️⃣ 3 cats, 1990s photo --ar 16:9\n\n2️⃣ 2 dogs')).toEqual([
      '3 cats, 1990s photo --ar 16:9',
      '2 dogs',
    ]);
  });

  it('returns [] for empty input', () => {
    expect(parseDescribePrompts('')).toEqual([]);
    expect(parseDescribePrompts(' \r\n \n')).toEqual([]);
    expect(parseDescribePrompts(null as unknown as string)).toEqual([]);
  });
});

describe('parseShorten', () => {
  it('reads the reference payload', () => {
    const r = parseShorten(SHORTEN);
    expect(r.tokens).toBe(
      '**appdash** **appdash**, in the ~~style~~ of ~~expert~~ **draftsmanship**, commission for, ethereal, dreamlike quality, ~~dadaistic~~, **toonami**',
    );
    expect(r.prompts).toEqual([
      'appdash appdash, draftsmanship, commission for, ethereal, toonami',
      'appdash appdash, draftsmanship, commission, toonami',
      'appdash appdash, draftsmanship, toonami',
      'appdash appdash, toonami',
      'appdash appdash',
    ]);
  });

  it('reads CRLF and other heading levels', () => {
    const r = parseShorten(SHORTEN.replace(/\n/g, '\r\n').replace(/## /g, '### '));
    expect(r.tokens.startsWith('**appdash**')).toBe(true);
    expect(r.prompts).toHaveLength(5);
  });

  it('reads a text without headings', () => {
    const r = parseShorten('**cat** ~~very~~ cute\n1️⃣ cat cute\n\n2️⃣ cat');
    expect(r).toEqual({ tokens: '**cat** ~~very~~ cute', prompts: ['cat cute', 'cat'] });
  });

  it('keeps an analysis without prompts', () => {
    expect(parseShorten('## Important tokens\n**cat**')).toEqual({ tokens: '**cat**', prompts: [] });
    expect(parseShorten('')).toEqual({ tokens: '', prompts: [] });
  });

  it('keeps several analysis lines', () => {
    const r = parseShorten('## Important tokens\n**a** b\n\n**c** ~~d~~\n## Shortened prompts\n1️⃣ a c');
    expect(r).toEqual({ tokens: '**a** b\n**c** ~~d~~', prompts: ['a c'] });
  });
});
